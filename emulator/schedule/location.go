package schedule

import (
	"fmt"
	"strings"
	"time"
	// Embedded zone data, used only when the system has none (slim
	// containers, Windows without Go installed), so a configured time zone
	// works everywhere.
	_ "time/tzdata"
)

// Location returns the time zone timer schedules run in: the
// WEBSITE_TIME_ZONE setting (as on Azure, a Windows zone name such as
// "W. Europe Standard Time" or an IANA name), then TZ, else the machine's
// local zone. lookup reads app settings and the environment.
func Location(lookup func(string) (string, bool)) (*time.Location, error) {
	for _, setting := range []string{"WEBSITE_TIME_ZONE", "TZ"} {
		v, ok := lookup(setting)
		v = strings.TrimPrefix(strings.TrimSpace(v), ":") // POSIX allows TZ=":Area/City"
		if !ok || v == "" {
			continue
		}
		name := v
		if iana, ok := windowsZones[strings.ToLower(v)]; ok {
			name = iana
		}
		loc, err := time.LoadLocation(name)
		if err != nil {
			return nil, fmt.Errorf("setting %s: unknown time zone %q (use an IANA name such as \"Europe/Berlin\" or a Windows name such as \"W. Europe Standard Time\")", setting, v)
		}
		return loc, nil
	}
	return time.Local, nil
}

// windowsZones maps the Windows time zone names most used in
// WEBSITE_TIME_ZONE (lower-cased) to IANA names, after CLDR's
// windowsZones.xml territory "001" entries.
var windowsZones = map[string]string{
	"utc":                            "UTC",
	"coordinated universal time":     "UTC",
	"gmt standard time":              "Europe/London",
	"greenwich standard time":        "Atlantic/Reykjavik",
	"w. europe standard time":        "Europe/Berlin",
	"central europe standard time":   "Europe/Budapest",
	"central european standard time": "Europe/Warsaw",
	"romance standard time":          "Europe/Paris",
	"e. europe standard time":        "Europe/Chisinau",
	"fle standard time":              "Europe/Kiev",
	"gtb standard time":              "Europe/Bucharest",
	"russian standard time":          "Europe/Moscow",
	"turkey standard time":           "Europe/Istanbul",
	"israel standard time":           "Asia/Jerusalem",
	"south africa standard time":     "Africa/Johannesburg",
	"egypt standard time":            "Africa/Cairo",
	"arabian standard time":          "Asia/Dubai",
	"arab standard time":             "Asia/Riyadh",
	"iran standard time":             "Asia/Tehran",
	"pakistan standard time":         "Asia/Karachi",
	"india standard time":            "Asia/Calcutta",
	"bangladesh standard time":       "Asia/Dhaka",
	"se asia standard time":          "Asia/Bangkok",
	"china standard time":            "Asia/Shanghai",
	"singapore standard time":        "Asia/Singapore",
	"taipei standard time":           "Asia/Taipei",
	"tokyo standard time":            "Asia/Tokyo",
	"korea standard time":            "Asia/Seoul",
	"aus eastern standard time":      "Australia/Sydney",
	"e. australia standard time":     "Australia/Brisbane",
	"cen. australia standard time":   "Australia/Adelaide",
	"w. australia standard time":     "Australia/Perth",
	"new zealand standard time":      "Pacific/Auckland",
	"hawaiian standard time":         "Pacific/Honolulu",
	"alaskan standard time":          "America/Anchorage",
	"pacific standard time":          "America/Los_Angeles",
	"us mountain standard time":      "America/Phoenix",
	"mountain standard time":         "America/Denver",
	"central standard time":          "America/Chicago",
	"central america standard time":  "America/Guatemala",
	"central standard time (mexico)": "America/Mexico_City",
	"eastern standard time":          "America/New_York",
	"us eastern standard time":       "America/Indianapolis",
	"atlantic standard time":         "America/Halifax",
	"newfoundland standard time":     "America/St_Johns",
	"sa pacific standard time":       "America/Bogota",
	"e. south america standard time": "America/Sao_Paulo",
	"argentina standard time":        "America/Buenos_Aires",
	"pacific sa standard time":       "America/Santiago",
}
