package qovery

import (
	"sync/atomic"
)

// budget is a token bucket counted in thousandths of a retry. It starts
// full; the deposits of the first calls repay that advance instead of
// adding to the balance.
type budget struct {
	milli   atomic.Int64 // balance
	calls   atomic.Int64 // calls seen, counted until the advance is repaid
	earn    int64        // deposit per call
	max     int64        // balance cap
	advance int64        // calls whose deposits repay the initial balance
}

func newBudget(ratio, burst float64) *budget {
	if ratio < 0 {
		return nil
	}
	b := &budget{earn: int64(ratio * 1000), max: int64(burst * 1000)}
	if b.earn > 0 {
		b.advance = (b.max + b.earn - 1) / b.earn
	}
	b.milli.Store(b.max)
	return b
}

func (b *budget) deposit() {
	if b == nil {
		return
	}
	if b.calls.Load() < b.advance && b.calls.Add(1) <= b.advance {
		return
	}
	for {
		cur := b.milli.Load()
		next := min(cur+b.earn, b.max)
		if next == cur || b.milli.CompareAndSwap(cur, next) {
			return
		}
	}
}

func (b *budget) withdraw() bool {
	if b == nil {
		return true
	}
	for {
		cur := b.milli.Load()
		if cur < 1000 {
			return false
		}
		if b.milli.CompareAndSwap(cur, cur-1000) {
			return true
		}
	}
}
