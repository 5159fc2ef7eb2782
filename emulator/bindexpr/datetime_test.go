package bindexpr

import (
	"testing"
	"time"
)

func TestFormatDateTime(t *testing.T) {
	utc := time.Date(2024, 5, 1, 13, 45, 7, 123456700, time.UTC)
	berlin := utc.In(time.FixedZone("CEST", 2*3600))
	morning := time.Date(2009, 1, 3, 0, 5, 9, 0, time.UTC)
	tests := []struct {
		t       time.Time
		format  string
		want    string
		wantErr bool
	}{
		{utc, DefaultDateTimeFormat, "2024-05-01T13-45-07Z", false},
		{berlin, DefaultDateTimeFormat, "2024-05-01T15-45-07+02:00", false},
		{utc, "yyyy-MM-dd", "2024-05-01", false},
		{utc, "yyyy/MM/dd HH:mm:ss", "2024/05/01 13:45:07", false},
		{utc, "yy M d H m s", "24 5 1 13 45 7", false},
		{morning, "y yy yyy yyyyy", "9 09 2009 02009", false},
		{utc, "MMM MMMM ddd dddd", "May May Wed Wednesday", false},
		{morning, "MMM dddd", "Jan Saturday", false},
		{utc, "hh:mm tt h t", "01:45 PM 1 P", false},
		{morning, "hh tt", "12 AM", false},
		{utc, "HH:mm:ss.fff", "13:45:07.123", false},
		{utc, "ss.fffffff", "07.1234567", false},
		{utc, "ss.FFFFFFF", "07.1234567", false},
		{morning, "ss.FFF", "09", false}, // empty F fraction drops the dot
		{morning, "ss.fff", "09.000", false},
		{berlin, "zzz z zz K", "+02:00 +2 +02 +02:00", false},
		{utc, "K zzz", "Z +00:00", false},
		{utc, "'year' yyyy \"and\" \\d", "year 2024 and d", false},
		{utc, "%d", "1", false},
		{utc, "gg yyyy", "A.D. 2024", false},
		{utc, "o", "2024-05-01T13:45:07.1234567Z", false},
		{berlin, "O", "2024-05-01T15:45:07.1234567+02:00", false},
		{utc, "s", "2024-05-01T13:45:07", false},
		{utc, "u", "2024-05-01 13:45:07Z", false},
		{berlin, "R", "Wed, 01 May 2024 13:45:07 GMT", false},
		{utc, "d", "05/01/2024", false},
		{utc, "D", "Wednesday, 01 May 2024", false},
		{utc, "G", "05/01/2024 13:45:07", false},
		{utc, "t", "13:45", false},
		{utc, "Y", "2024 May", false},
		{utc, "M", "May 01", false},
		{utc, "", "05/01/2024 13:45:07", false},
		{utc, "q", "", true},
		{utc, "ffffffff", "", true},
		{utc, "'open", "", true},
		{utc, "yyyy\\", "", true},
		{utc, "%%", "", true},
	}
	for _, tt := range tests {
		got, err := FormatDateTime(tt.t, tt.format)
		if tt.wantErr {
			if err == nil {
				t.Errorf("FormatDateTime(%q) = %q, want an error", tt.format, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("FormatDateTime(%q) = %q, %v; want %q", tt.format, got, err, tt.want)
		}
	}
}

func TestGUIDFormats(t *testing.T) {
	g := GUID{0x6f, 0x1c, 0x2a, 0x3b, 0x4c, 0x5d, 0x4e, 0x6f, 0x80, 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7}
	tests := []struct{ format, want string }{
		{"", "6f1c2a3b-4c5d-4e6f-8091-a2b3c4d5e6f7"},
		{"D", "6f1c2a3b-4c5d-4e6f-8091-a2b3c4d5e6f7"},
		{"n", "6f1c2a3b4c5d4e6f8091a2b3c4d5e6f7"},
		{"N", "6f1c2a3b4c5d4e6f8091a2b3c4d5e6f7"},
		{"B", "{6f1c2a3b-4c5d-4e6f-8091-a2b3c4d5e6f7}"},
		{"P", "(6f1c2a3b-4c5d-4e6f-8091-a2b3c4d5e6f7)"},
		{"X", "{0x6f1c2a3b,0x4c5d,0x4e6f,{0x80,0x91,0xa2,0xb3,0xc4,0xd5,0xe6,0xf7}}"},
	}
	for _, tt := range tests {
		if got, err := g.Format(tt.format); err != nil || got != tt.want {
			t.Errorf("Format(%q) = %q, %v; want %q", tt.format, got, err, tt.want)
		}
	}
	if _, err := g.Format("Q"); err == nil {
		t.Error("Format(\"Q\") succeeded, want an error")
	}
	a, b := NewGUID(), NewGUID()
	if a == b {
		t.Fatal("two NewGUID calls returned the same value")
	}
	if a[6]>>4 != 4 || a[8]>>6 != 2 {
		t.Fatalf("NewGUID %s is not version 4, RFC 4122 variant", a)
	}
}
