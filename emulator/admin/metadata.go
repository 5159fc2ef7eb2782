package admin

import (
	"encoding/json"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// functionMetadata is the FunctionMetadataResponse model.
type functionMetadata struct {
	Name              string          `json:"name"`
	ScriptRootPathURL string          `json:"script_root_path_href"`
	ScriptURL         string          `json:"script_href"`
	ConfigURL         string          `json:"config_href"`
	TestDataURL       string          `json:"test_data_href"`
	URL               string          `json:"href"`
	InvokeURLTemplate *string         `json:"invoke_url_template"`
	Language          string          `json:"language"`
	Config            json.RawMessage `json:"config"`
	Files             any             `json:"files"`
	TestData          string          `json:"test_data"`
	IsDisabled        bool            `json:"isDisabled"`
	IsDirect          bool            `json:"isDirect"`
	IsProxy           bool            `json:"isProxy"`
}

func (h *Handler) metadata(a *emulator.App, fn *emulator.Function) functionMetadata {
	base := strings.TrimSuffix(h.opts.BaseURL(), "/")
	vfs := base + "/admin/vfs/"
	m := functionMetadata{
		Name:              fn.Name,
		ScriptRootPathURL: vfs + fn.Name + "/",
		ScriptURL:         vfs + a.Host.CustomHandler.ExecutablePath,
		ConfigURL:         vfs + fn.Name + "/function.json",
		TestDataURL:       vfs + "data/Functions/sampledata/" + fn.Name + ".dat",
		URL:               base + "/admin/functions/" + fn.Name,
		Language:          "custom",
		Config:            fn.Config,
		IsDisabled:        fn.Disabled,
	}
	if len(m.Config) == 0 {
		m.Config = json.RawMessage("{}")
	}
	if tr := fn.Trigger(); tr != nil && tr.Kind() == emulator.BindingHTTPTrigger {
		r := tr.Route
		if r == "" {
			r = fn.Name
		}
		u := base + "/"
		if a.Host.RoutePrefix != "" {
			u += strings.Trim(a.Host.RoutePrefix, "/") + "/"
		}
		u = strings.ToLower(u + strings.TrimPrefix(r, "/"))
		m.InvokeURLTemplate = &u
	}
	return m
}
