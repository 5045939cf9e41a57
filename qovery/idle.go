package qovery

import (
	"context"
	"errors"
	"fmt"
)

// maxBusy is how many times WhenIdle lets an environment refuse an action
// before it gives up.
const maxBusy = 5

// WhenIdle runs action, an action on environmentID or on one of its
// services (a deploy, a stop, a restart, a delete), once the environment
// lets it run.
//
// The live API refuses an action with 409 Conflict while another
// deployment of the environment runs. WhenIdle then waits for the
// environment to settle (Wait with StateSettled, under the Client's
// WaitPolicy) and runs action again, up to 5 refusals, after which it
// returns the last one. It does so only when the 409 answered a request
// that surely did nothing before: a 409 after an attempt that may have
// been processed (a 503, a connection cut after sending) is returned at
// once, since that attempt may have started the very deployment the API
// is busy with. Any other error, and any error of the wait, is returned as
// it is.
//
//	err := c.Environments.WhenIdle(ctx, envID, func(ctx context.Context) error {
//		_, err := c.Applications.Deploy(ctx, appID, qovery.DeployApplicationRequest{})
//		return err
//	})
func (s *EnvironmentsService) WhenIdle(ctx context.Context, environmentID string, action func(context.Context) error) error {
	if _, err := parseID("environmentID", environmentID); err != nil {
		return err
	}
	for refused := 0; ; {
		err := action(ctx)
		if !busy(err) {
			return err
		}
		if refused++; refused >= maxBusy {
			return fmt.Errorf("qovery: environment %s still busy after %d refusals: %w", environmentID, refused, err)
		}
		if _, werr := s.Wait(ctx, environmentID, StateSettled); werr != nil {
			return fmt.Errorf("qovery: waiting for environment %s to settle after a 409: %w", environmentID, werr)
		}
	}
}

// busy reports a 409 that refused a request before anything of it was
// done.
func busy(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == 409 && !ae.earlierEffect
}
