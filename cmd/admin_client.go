package cmd

import (
	"net/http"
	"os"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/keys"
)

// cliMasterKey is the master key funcemu's own commands send to a running
// funcemu: FUNCEMU_MASTER_KEY, else the one in the app's data folder; ""
// when keys were never turned on (a keyless funcemu ignores none).
func cliMasterKey(cmd *cobra.Command, events *eventsOptions) (string, error) {
	if k := os.Getenv(masterKeyEnv); k != "" {
		return k, nil
	}
	dir, err := events.dataDirIn(cmd, nil)
	if err != nil {
		return "", err
	}
	return keys.ReadMaster(keys.PathIn(dir))
}

// setAdminHeaders marks req as funcemu's own JSON call to the admin API,
// with the master key when there is one.
func setAdminHeaders(req *http.Request, key string) {
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(admin.ClientHeader, "cli")
	setKey(req, key)
}

// setKey sends key the way Azure takes it, as x-functions-key.
func setKey(req *http.Request, key string) {
	if key != "" {
		req.Header.Set(keys.Header, key)
	}
}
