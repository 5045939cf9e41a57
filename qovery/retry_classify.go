package qovery

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"syscall"
	"time"
)

// shouldRetry reports whether the outcome of an attempt may be retried and
// the wait the server asked for, if any.
func (t *transport) shouldRetry(ctx context.Context, resp *http.Response, err error, idem bool, wire *wireTrace) (bool, time.Duration) {
	if ctx.Err() != nil {
		return false, 0
	}
	if err != nil {
		switch classifyError(err, wire) {
		case errNotSent:
			return true, 0
		case errMaybeSent:
			return idem, 0
		}
		return false, 0
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		wait, _ := serverWait(resp.Header, time.Now(), true)
		return true, wait
	case http.StatusServiceUnavailable:
		wait, _ := serverWait(resp.Header, time.Now(), false)
		return idem, wait
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return idem, 0
	}
	return false, 0
}

type errClass int

const (
	errFatal     errClass = iota // never retried
	errNotSent                   // the request surely did not reach the server
	errMaybeSent                 // it may have: retried only when idempotent
)

// classifyError sorts a failed attempt. Cancellation, certificate errors
// and a request net/http refuses to send are final. Only a failure that proves no byte of the request left counts
// as not sent: a dial, DNS or refused connection error, or a TLS handshake
// that failed before the connection was handed to the request (wire says
// so; without it, a TLS error may come from a record corrupted after the
// request was written). Anything after the connection was handed over may
// have reached the server.
func classifyError(err error, wire *wireTrace) errClass {
	var (
		opErr  *net.OpError
		dnsErr *net.DNSError
	)
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded) && !isAttemptTimeout(err):
		return errFatal
	case isCertificateError(err):
		return errFatal
	case refusedByNetHTTP(err), errors.Is(err, ErrResponseTooLarge):
		return errFatal
	case wire != nil && wire.gotConn.Load():
		return errMaybeSent
	case errors.Is(err, syscall.ECONNREFUSED), errors.As(err, &dnsErr),
		errors.As(err, &opErr) && opErr.Op == "dial",
		wire != nil && wire.handshakeFailed.Load():
		return errNotSent
	}
	// Anything else (a reset, EOF, a timeout, a TLS record gone bad, a
	// connection broken midway, a body cut off) may have reached the server.
	return errMaybeSent
}

// mayHaveTakenEffect reports whether an attempt that is about to be retried
// may have been processed: anything but a 429, which the server sends
// instead of doing the work, and a failure that proves nothing was sent.
func mayHaveTakenEffect(resp *http.Response, err error, wire *wireTrace) bool {
	if err != nil {
		return classifyError(err, wire) != errNotSent
	}
	return resp == nil || resp.StatusCode != http.StatusTooManyRequests
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
