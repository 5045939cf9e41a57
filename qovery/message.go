package qovery

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// messageOf extracts a short, printable reason from an error body: the
// message field of a JSON document, the title of an HTML page, or the first
// line of text. It falls back to the status text. It looks at no more than
// the first 64 KiB, so that a huge body costs no more than a small one.
//
// redact is applied to the message once it is decoded and cleaned, and
// before it is shortened: an escaped credential (`\/`, `\u0072`, `&#114;`)
// only shows once decoded, and a shortened one would no longer be
// recognised.
func messageOf(body []byte, status int, redact func(string) string) string {
	const scanLimit, lineLimit = 64 << 10, 1 << 10
	b := bytes.TrimSpace(body)
	var msg string
	if len(b) > 0 {
		head := b[:min(len(b), scanLimit)]
		switch b[0] {
		case '{', '[', '"':
			if len(b) <= scanLimit {
				msg = jsonMessage(b, 0)
			}
		case '<':
			msg = htmlMessage(head)
		}
		if msg == "" && b[0] != '<' {
			msg = firstLine(head, lineLimit)
		}
	}
	msg = cleanRedacted(msg, 300, redact)
	if msg == "" {
		msg = http.StatusText(status)
	}
	return msg
}

// firstLine returns the first line of b, cut at limit bytes. A line cut
// inside a word loses that word: redact, which runs once the line is
// cleaned, no longer recognises a token cut short, and would let its first
// part through.
func firstLine(b []byte, limit int) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	if len(line) <= limit {
		return string(line)
	}
	if r, _ := utf8.DecodeRune(line[limit:]); isBreak(r) {
		return string(line[:limit])
	}
	return string(line[:bytes.LastIndexFunc(line[:limit], isBreak)+1])
}

// isBreak reports whether r separates words: cleanText turns it into a
// space.
func isBreak(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

// messageKeys are the fields of a JSON error body that may hold the reason,
// in order of preference.
var messageKeys = []string{"message", "detail", "error_description", "error", "title", "description", "errors"}

func jsonMessage(b []byte, depth int) string {
	if depth > 3 {
		return ""
	}
	switch b[0] {
	case '"':
		var s string
		if json.Unmarshal(b, &s) == nil {
			return s
		}
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(b, &items) == nil {
			for _, it := range items {
				if len(it) > 0 {
					if m := jsonMessage(it, depth+1); m != "" {
						return m
					}
				}
			}
		}
	case '{':
		var fields map[string]json.RawMessage
		if json.Unmarshal(b, &fields) != nil {
			return ""
		}
		for _, k := range messageKeys {
			if v := bytes.TrimSpace(fields[k]); len(v) > 0 {
				if m := jsonMessage(v, depth+1); m != "" {
					return m
				}
			}
		}
	}
	return ""
}

// htmlMessage returns the text of the page's <title>, or of its first <h1>.
func htmlMessage(b []byte) string {
	lower := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	for _, tag := range []string{"title", "h1"} {
		start := bytes.Index(lower, []byte("<"+tag))
		if start < 0 {
			continue
		}
		open := bytes.IndexByte(lower[start:], '>')
		if open < 0 {
			continue
		}
		from := start + open + 1
		end := bytes.Index(lower[from:], []byte("</"+tag))
		if end < 0 {
			continue
		}
		if text := html.UnescapeString(stripTags(string(b[from : from+end]))); strings.TrimSpace(text) != "" {
			return text
		}
	}
	return ""
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanText makes s safe to print on one line: valid UTF-8, no control
// characters, collapsed spaces, at most limit runes.
func cleanText(s string, limit int) string {
	return cleanRedacted(s, limit, nil)
}

// cleanRedacted is cleanText with redact (when not nil) applied between
// cleaning and shortening.
func cleanRedacted(s string, limit int, redact func(string) string) string {
	if s == "" {
		return ""
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Join(strings.FieldsFunc(s, isBreak), " ")
	if redact != nil {
		s = redact(s)
	}
	if utf8.RuneCountInString(s) > limit {
		n := 0
		for i := range s {
			if n == limit {
				return s[:i] + "…"
			}
			n++
		}
	}
	return s
}
