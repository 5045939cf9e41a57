// Command onlyqovery is a program that imports package qovery and nothing
// else of this module; the dependency test lists what it links.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/qoverykit/qovery-go/qovery"
)

func main() {
	c, err := qovery.NewFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for b, err := range c.Backups.ListIter(context.Background(), os.Args[1], nil) {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(*b.Name)
	}
}
