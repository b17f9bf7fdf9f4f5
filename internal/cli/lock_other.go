//go:build !unix

package cli

import "errors"

// lockFile is not available here: every process then names itself anew.
func lockFile(string) (func(), error) {
	return nil, errors.New("file locks are not supported on this system")
}
