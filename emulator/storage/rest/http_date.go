package rest

import (
	"net/http"
	"time"
)

// appendHTTPDate appends t as http.TimeFormat formats it in UTC ("Mon, 02
// Jan 2006 15:04:05 GMT"), digit by digit: a listing writes two dates a
// blob, and time.Format's layout parsing was a tenth of its writing.
func appendHTTPDate(dst []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(dst, http.TimeFormat)
	}
	hour, minute, sec := t.Clock()
	const days, months = "SunMonTueWedThuFriSat", "JanFebMarAprMayJunJulAugSepOctNovDec"
	wd, m := int(t.Weekday())*3, (int(month)-1)*3
	dst = append(dst, days[wd:wd+3]...)
	dst = append(dst, ',', ' ', byte('0'+day/10), byte('0'+day%10), ' ')
	dst = append(dst, months[m:m+3]...)
	dst = append(dst, ' ', byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), ' ',
		byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+sec/10), byte('0'+sec%10))
	return append(dst, " GMT"...)
}
