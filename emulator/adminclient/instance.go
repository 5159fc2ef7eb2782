package adminclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/funcemu/funcemu/emulator"
)

// InstanceFile is where a running funcemu says, in its data folder, where
// it serves, so its commands find it without flags.
const InstanceFile = "instance.json"

// InstancePath is the instance file in dataDir.
func InstancePath(dataDir string) string { return filepath.Join(dataDir, InstanceFile) }

// ReadInstance reads the endpoints a running funcemu wrote in dataDir.
func ReadInstance(dataDir string) (emulator.Endpoints, error) {
	var e emulator.Endpoints
	path := InstancePath(dataDir)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return e, fmt.Errorf("no running funcemu found (%s does not exist): start the app with funcemu start, or pass --url", path)
	}
	if err != nil {
		return e, err
	}
	if err := json.Unmarshal(b, &e); err != nil || e.HTTP == "" {
		return e, fmt.Errorf("%s: not a funcemu instance file", path)
	}
	return e, nil
}
