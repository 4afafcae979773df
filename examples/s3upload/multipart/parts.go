package multipart

// PartCount returns how many parts of partSize bytes hold size bytes.
func PartCount(size, partSize int64) int {
	return int((size + partSize - 1) / partSize)
}
