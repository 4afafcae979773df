// Package multipart is an example for crossvet: it compiles on 64-bit targets and breaks on
// 32-bit ones, the way minio-go's multipart size check once did.
package multipart

import "fmt"

const (
	maxPartSize = 1024 * 1024 * 1024 * 5 // 5 GiB
	maxNumSize  = 10000
)

// CheckObjectSize rejects objects larger than a multipart upload can hold.
func CheckObjectSize(size int64) error {
	if size > maxPartSize*maxNumSize {
		return fmt.Errorf("size must be less than %db", maxPartSize*maxNumSize)
	}
	return nil
}
