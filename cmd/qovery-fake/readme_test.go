package main

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeOrigin is where the README's session finds the fake.
const readmeOrigin = "http://127.0.0.1:8080"

// The README's curl session runs as written against the fake, each
// request answered as its comment says.
func TestReadmeCurlSession(t *testing.T) {
	t.Parallel()
	session := readmeSession(t)
	ready, stop := runInProcess(t)
	origin := strings.TrimSuffix(ready.Control, controlPrefix)
	want := []int{200, 201, 503, 200, 200}
	if len(session) != len(want) {
		t.Fatalf("the README's session has %d requests, want %d: %q", len(session), len(want), session)
	}
	for i, words := range session {
		method, url, auth, body := curlRequest(t, words)
		url = strings.Replace(url, readmeOrigin, origin, 1)
		if got := call(t, method, url, auth, body, nil); got != want[i] {
			t.Errorf("%s: %d, want %d", strings.Join(words, " "), got, want[i])
		}
	}
	if got := stop(); got != 0 {
		t.Errorf("exit %d", got)
	}
}

// readmeSession returns the curl commands of the README's section on this
// command, each split into words as the shell splits it.
func readmeSession(t *testing.T) [][]string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var session [][]string
	for _, block := range regexp.MustCompile("(?ms)^```sh\n(.*?)^```$").FindAllStringSubmatch(string(readme), -1) {
		if !strings.Contains(block[1], "/_fake/") {
			continue
		}
		for _, line := range strings.Split(block[1], "\n") {
			line, _, _ = strings.Cut(line, "#")
			if words := shellWords(line); len(words) > 0 && words[0] == "curl" {
				session = append(session, words)
			}
		}
	}
	if len(session) == 0 {
		t.Fatal("the README has no ```sh block with a curl session of /_fake/")
	}
	return session
}

// shellWords splits a line as sh does for the README's words: on blanks,
// with single quotes kept together.
func shellWords(line string) []string {
	var words []string
	var word strings.Builder
	quoted, inWord := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case !quoted && (r == ' ' || r == '\t'):
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}

// curlRequest reads the few curl options the README uses.
func curlRequest(t *testing.T, words []string) (method, url, auth, body string) {
	t.Helper()
	method = http.MethodGet
	for i := 1; i < len(words); i++ {
		switch w := words[i]; {
		case w == "-X" && i+1 < len(words):
			i++
			method = words[i]
		case w == "-H" && i+1 < len(words):
			i++
			name, value, _ := strings.Cut(words[i], ": ")
			if name != "Authorization" {
				t.Fatalf("%q: a header other than Authorization", words)
			}
			auth = value
		case w == "-d" && i+1 < len(words):
			i++
			body = words[i]
		case strings.HasPrefix(w, "http"):
			url = w
		default:
			t.Fatalf("%q: curl option %q is not read by this test", words, w)
		}
	}
	return method, url, auth, body
}
