package qoverytest

import (
	"sort"
	"strings"

	"github.com/qoverykit/qovery-go/internal/editdistance"
	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// nearOperations are the operationIds of the spec that id, which the spec
// does not have, may have been meant as, nearest first and at most five:
// the same but for case, one a few letters away (a slip, told by edit
// distance without regard to case), or one containing id.
func nearOperations(id string) []string {
	want := strings.ToLower(id)
	limit := min(max(len(want)/4, 1), 3) // a slip, not another word
	type candidate struct {
		name string
		rank int
	}
	var near []candidate
	for _, known := range fixtures.OperationIDs() {
		k := strings.ToLower(known)
		switch d := editdistance.Levenshtein(want, k); {
		case d <= limit:
			near = append(near, candidate{known, d})
		case want != "" && strings.Contains(k, want):
			near = append(near, candidate{known, limit + 1})
		}
	}
	sort.Slice(near, func(i, j int) bool {
		if near[i].rank != near[j].rank {
			return near[i].rank < near[j].rank
		}
		return near[i].name < near[j].name
	})
	names := make([]string, 0, min(len(near), 5))
	for _, c := range near[:min(len(near), 5)] {
		names = append(names, c.name)
	}
	return names
}
