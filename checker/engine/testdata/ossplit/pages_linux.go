package ossplit

const pageSize = 4096
