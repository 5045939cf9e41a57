package qovery

import (
	"bytes"
	"html"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A server or a proxy that echoes the token may escape it on the way: PHP
// and Java write "/" as "\/", Go writes <, > and & as \u003c, \u003e and
// \u0026 and may write non-ASCII as \uXXXX, any JSON encoder may write any
// character as \uXXXX, and an HTML page may use character references
// (&#47;, &#x2F;, &sol;). Any character may be written either way, so
// listing escaped variants as more forms of the token would take one form
// per mix; decoding the whole document first (as JSON, as HTML) fails on a
// JSON body cut at maxErrorBody or after a proxy's banner line. So the raw
// text is matched against each form as a reader decodes it, one character,
// escaped or not, at a time, and the raw bytes of a match are replaced.

// maxEscape is the most raw bytes one escape takes here: a named HTML
// reference of up to 32 letters, with its & and ;. A numeric reference
// takes at most 3 + maxRefDigits + 1, a JSON surrogate pair 12.
const (
	maxRefName   = 32
	maxRefDigits = 16
	maxEscape    = 1 + maxRefName + 1
)

// escapedReach is how many raw bytes the longest of forms can take when
// every character is escaped.
func escapedReach(forms []string) int {
	n := 0
	for _, f := range forms {
		n = max(n, len(f))
	}
	return n * maxEscape
}

// mayHoldEscape reports whether s has a character that starts an escape.
func mayHoldEscape[T string | []byte](s T) bool {
	switch s := any(s).(type) {
	case string:
		return strings.IndexByte(s, '\\') >= 0 || strings.IndexByte(s, '&') >= 0
	case []byte:
		return bytes.IndexByte(s, '\\') >= 0 || bytes.IndexByte(s, '&') >= 0
	}
	return true
}

// span is a range of bytes to redact.
type span struct{ start, end int }

// escapedSpans returns the ranges of s that read as one of forms once
// their JSON escapes and HTML character references are decoded. When cut
// is set, s was cut short, and a range at its end that reads as the start
// of a form is returned too: the rest of the token was cut off.
func escapedSpans[T string | []byte](s T, forms []string, cut bool) []span {
	var starts [256]bool // the bytes a match can start with
	starts['\\'], starts['&'] = true, true
	for _, f := range forms {
		starts[f[0]] = true
	}
	var spans []span
	for i := 0; i < len(s); i++ {
		if !starts[s[i]] {
			continue
		}
		lead, decoded, cutOff := leadAt(s[i:])
		if cutOff && cut {
			return append(spans, span{i, len(s)})
		}
		for _, f := range forms {
			if f[0] != lead && f[0] != decoded {
				continue
			}
			if end, ok := readsAs(s, i, f, cut); ok {
				spans = append(spans, span{i, end})
				i = end - 1
				break
			}
		}
	}
	return spans
}

// leadAt returns the first byte of s, and the first byte it stands for
// when s starts with an escape (lead otherwise); cutOff reports an escape
// cut off by the end of s.
func leadAt[T string | []byte](s T) (lead, decoded byte, cutOff bool) {
	lead, decoded = s[0], s[0]
	if lead == '\\' || lead == '&' {
		var buf [utf8.UTFMax * 2]byte
		dec, _, kind := unescape(s, &buf)
		switch kind {
		case escaped:
			decoded = dec[0]
		case escapeCut:
			cutOff = true
		}
	}
	return lead, decoded, cutOff
}

// readsAs reports whether s, from byte i, reads as form, and where the
// match ends. An escape whose decoding does not match is also tried as the
// plain character it starts with. When cut is set, s ending before form
// does counts as a match.
func readsAs[T string | []byte](s T, i int, form string, cut bool) (end int, ok bool) {
	var buf [utf8.UTFMax * 2]byte
	for j := 0; j < len(form); {
		if i >= len(s) {
			return len(s), cut
		}
		if c := s[i]; c == form[j] && c != '\\' && c != '&' {
			i, j = i+1, j+1
			continue
		}
		if dec, size, kind := unescape(s[i:], &buf); kind == escapeCut && cut {
			return len(s), true
		} else if kind == escaped && startsWith(form[j:], dec) {
			i, j = i+size, j+len(dec)
			continue
		}
		if s[i] != form[j] {
			return 0, false
		}
		i, j = i+1, j+1
	}
	return i, true
}

// startsWith is strings.HasPrefix for a prefix in bytes, without
// converting it.
func startsWith(s string, prefix []byte) bool {
	if len(prefix) > len(s) {
		return false
	}
	for i, c := range prefix {
		if s[i] != c {
			return false
		}
	}
	return true
}

type escapeKind int

const (
	notEscape escapeKind = iota
	escaped
	escapeCut // an escape begun, cut off by the end of the text
)

// unescape decodes the JSON escape or HTML character reference s starts
// with into buf, and returns the decoded bytes and the escape's length.
func unescape[T string | []byte](s T, buf *[utf8.UTFMax * 2]byte) (dec []byte, size int, kind escapeKind) {
	switch s[0] {
	case '\\':
		return jsonEscape(s, buf)
	case '&':
		return htmlReference(s, buf)
	}
	return nil, 0, notEscape
}

// jsonEscape decodes the escapes of a JSON string that a token can need:
// \/, \", \\ and \uXXXX (a surrogate pair included). The others stand for
// control characters, which no token has.
func jsonEscape[T string | []byte](s T, buf *[utf8.UTFMax * 2]byte) ([]byte, int, escapeKind) {
	if len(s) < 2 {
		return nil, 0, escapeCut
	}
	switch c := s[1]; c {
	case '/', '"', '\\':
		buf[0] = c
		return buf[:1], 2, escaped
	case 'u':
		r, size, kind := jsonCodePoint(s)
		if kind != escaped {
			return nil, 0, kind
		}
		return utf8.AppendRune(buf[:0], r), size, escaped
	}
	return nil, 0, notEscape
}

// jsonCodePoint decodes the \uXXXX s starts with, and the low surrogate
// after a high one; a lone surrogate reads as U+FFFD, as encoding/json has
// it.
func jsonCodePoint[T string | []byte](s T) (rune, int, escapeKind) {
	r, kind := hex4(s[2:])
	if kind != escaped || !utf16.IsSurrogate(r) {
		return r, 6, kind
	}
	switch rest := s[6:]; {
	case len(rest) == 0 || len(rest) == 1 && rest[0] == '\\':
		return 0, 0, escapeCut
	case len(rest) < 2 || rest[0] != '\\' || rest[1] != 'u':
		return utf8.RuneError, 6, escaped
	}
	low, kind := hex4(s[8:])
	if kind != escaped {
		return utf8.RuneError, 6, kind
	}
	if pair := utf16.DecodeRune(r, low); pair != utf8.RuneError {
		return pair, 12, escaped
	}
	return utf8.RuneError, 6, escaped
}

// hex4 reads the four hex digits s starts with.
func hex4[T string | []byte](s T) (rune, escapeKind) {
	var r rune
	for i := range 4 {
		if i == len(s) {
			return 0, escapeCut
		}
		d, ok := hexDigit(s[i])
		if !ok {
			return 0, notEscape
		}
		r = r<<4 | d
	}
	return r, escaped
}

func hexDigit(c byte) (rune, bool) {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0'), true
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10), true
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10), true
	}
	return 0, false
}

// htmlReference decodes the character reference s starts with: numeric
// (&#114; or &#x72;, the ; optional as browsers have it) or named (&sol;).
func htmlReference[T string | []byte](s T, buf *[utf8.UTFMax * 2]byte) ([]byte, int, escapeKind) {
	if len(s) < 2 {
		return nil, 0, escapeCut
	}
	if s[1] == '#' {
		return numericReference(s, buf)
	}
	return namedReference(s, buf)
}

func numericReference[T string | []byte](s T, buf *[utf8.UTFMax * 2]byte) ([]byte, int, escapeKind) {
	i, base := 2, rune(10)
	if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
		i, base = i+1, 16
	}
	var r rune
	digits := 0
	for ; i < len(s) && digits <= maxRefDigits; i, digits = i+1, digits+1 {
		d, ok := hexDigit(s[i])
		if !ok || d >= base {
			break
		}
		r = min(r*base+d, utf8.MaxRune+1)
	}
	switch {
	case i == len(s):
		return nil, 0, escapeCut // more digits, or the ;, may have followed
	case digits == 0 || digits > maxRefDigits:
		return nil, 0, notEscape
	}
	if s[i] == ';' {
		i++
	}
	if r == 0 || r > utf8.MaxRune || utf16.IsSurrogate(r) {
		r = utf8.RuneError
	}
	return utf8.AppendRune(buf[:0], r), i, escaped
}

// namedReference decodes a named reference, which html knows the names
// of; only its ;-terminated form is read.
func namedReference[T string | []byte](s T, buf *[utf8.UTFMax * 2]byte) ([]byte, int, escapeKind) {
	i := 1
	for ; i < len(s) && i <= maxRefName && isAlnum(s[i]); i++ {
	}
	switch {
	case i == len(s):
		return nil, 0, escapeCut
	case i == 1 || s[i] != ';':
		return nil, 0, notEscape
	}
	ref := string(s[:i+1])
	dec := html.UnescapeString(ref)
	if dec == ref || len(dec) > len(buf) {
		return nil, 0, notEscape
	}
	return append(buf[:0], dec...), i + 1, escaped
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// redactSpans returns b, the bytes of an answer or a string, with each
// span replaced by the redaction mark.
func redactSpans[T ~string | ~[]byte](b T, spans []span) T {
	out := make([]byte, 0, len(b))
	at := 0
	for _, sp := range spans {
		out = append(out, b[at:sp.start]...)
		out = append(out, redacted...)
		at = sp.end
	}
	return T(append(out, b[at:]...))
}
