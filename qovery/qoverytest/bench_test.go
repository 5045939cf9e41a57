package qoverytest_test

import (
	"testing"

	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// BenchmarkStart measures starting one server and closing it: the HTTP
// listener, the seeded world and, for the empty one, nothing else. The
// description is loaded once per binary, before the timer starts.
func BenchmarkStart(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []qoverytest.Option
	}{
		{"world", nil},
		{"empty", []qoverytest.Option{qoverytest.WithEmptyWorld()}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			warm, err := qoverytest.Start()
			if err != nil {
				b.Fatal(err)
			}
			warm.Close()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				srv, err := qoverytest.Start(bc.opts...)
				if err != nil {
					b.Fatal(err)
				}
				srv.Close()
			}
		})
	}
}
