package azstore

import "testing"

func TestMode(t *testing.T) {
	dev, _ := ParseConnectionString("UseDevelopmentStorage=true")
	prod, _ := ParseConnectionString("AccountName=myacct;AccountKey=a2V5MQ==")
	tests := []struct {
		flag      string
		dev, prod bool
	}{
		{"", false, true},
		{"auto", false, true},
		{"embedded", false, false},
		{"remote", true, true},
	}
	for _, tc := range tests {
		m, err := ParseMode(tc.flag)
		if err != nil {
			t.Fatalf("%q: %v", tc.flag, err)
		}
		if m.Remote(dev) != tc.dev || m.Remote(prod) != tc.prod {
			t.Errorf("%q: development remote=%v, real remote=%v, want %v %v", tc.flag, m.Remote(dev), m.Remote(prod), tc.dev, tc.prod)
		}
	}
	if _, err := ParseMode("cloud"); err == nil || err.Error() != `--storage "cloud": want auto, embedded or remote` {
		t.Errorf("bad mode: %v", err)
	}
}
