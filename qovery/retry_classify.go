package qovery

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// outcome is what an attempt's result allows, before the policy has its say.
type outcome struct {
	retryable bool
	wait      time.Duration // how long the server asked the client to wait
	why       string        // why the outcome is final, when it is not retryable
}

// classify sorts the result of an attempt. It does not look at the context:
// a cancellation is handled before, by abandoned, and the policy after, by
// decide.
func classify(resp *http.Response, err error, wire *wireTrace, idem bool) outcome {
	const notIdempotent = "the request is not idempotent and may have taken effect"
	if err != nil {
		switch classifyFailure(err, wire) {
		case neverSent:
			return outcome{retryable: true}
		case maybeSent:
			if idem {
				return outcome{retryable: true}
			}
			return outcome{why: notIdempotent}
		}
		return outcome{why: "the error is final"}
	}
	switch code := resp.StatusCode; code {
	case http.StatusTooManyRequests:
		// The server refused the request without doing the work: whatever
		// the method, it can be sent again.
		wait, _ := serverWait(resp.Header, time.Now(), true)
		return outcome{retryable: true, wait: wait}
	case http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		if !idem {
			return outcome{why: notIdempotent}
		}
		var wait time.Duration
		if code == http.StatusServiceUnavailable {
			wait, _ = serverWait(resp.Header, time.Now(), false)
		}
		return outcome{retryable: true, wait: wait}
	default:
		if code >= 400 {
			return outcome{why: "status " + strconv.Itoa(code) + " is not retried"}
		}
		return outcome{}
	}
}

// failureClass says how far a failed attempt may have gone.
type failureClass int

const (
	failFatal failureClass = iota // never retried
	neverSent                     // the request surely did not reach the server
	maybeSent                     // it may have: retried only when idempotent
)

// classifyFailure sorts a failed attempt. Cancellation, certificate errors,
// a request net/http refuses to send and a broken transport are final. Only a failure that
// proves no byte of the request left counts as not sent: a dial, DNS or
// refused connection error, or a TLS handshake that failed before the
// connection was handed to the request (wire says so; without it, a TLS
// error may come from a record corrupted after the request was written).
// Anything after the connection was handed over may have reached the server.
func classifyFailure(err error, wire *wireTrace) failureClass {
	var (
		opErr  *net.OpError
		dnsErr *net.DNSError
	)
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded) && !isAttemptTimeout(err):
		return failFatal
	case isCertificateError(err):
		return failFatal
	case refusedByNetHTTP(err), errors.Is(err, ErrResponseTooLarge), errors.Is(err, errNoResponse):
		return failFatal
	case wire != nil && wire.gotConn.Load():
		return maybeSent
	case errors.Is(err, syscall.ECONNREFUSED), errors.As(err, &dnsErr),
		errors.As(err, &opErr) && opErr.Op == "dial",
		wire != nil && wire.handshakeFailed.Load():
		return neverSent
	}
	// Anything else (a reset, EOF, a timeout, a TLS record gone bad, a
	// connection broken midway, a body cut off) may have reached the server.
	return maybeSent
}

// isCertificateError reports a server certificate that failed
// verification: permanent, whatever is retried.
func isCertificateError(err error) bool {
	var (
		certInvalid  x509.CertificateInvalidError
		unknownCA    x509.UnknownAuthorityError
		hostname     x509.HostnameError
		verification *tls.CertificateVerificationError
	)
	return errors.As(err, &certInvalid) || errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &verification)
}
