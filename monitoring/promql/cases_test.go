package promql

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// alertCase is recorded metric samples (promqltest `load` syntax, one sample a minute from time
// 0), the time the rule group has evaluated up to, and the alerts that must be firing then.
// Series carry the labels the exporters write (see components/kubernetes/alert-rules.ts for the
// sources) plus the scrape's own target labels.
type alertCase struct {
	alert string
	name  string
	load  string
	at    time.Duration
	fires []map[string]string
}

// keys are the labels that identify a firing alert in this case (those the case names).
func (c alertCase) keys() []string {
	seen := map[string]bool{}
	for _, f := range c.fires {
		for k := range f {
			seen[k] = true
		}
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// n samples from start, adding step each minute.
func vals(start, step float64, n int) string {
	return fmt.Sprintf("%g+%gx%d", start, step, n-1)
}

// n minutes without a sample (the series does not exist yet, or any more).
func none(n int) string {
	return fmt.Sprintf("_x%d", n)
}

func load(series ...string) string {
	return "load 1m\n  " + strings.Join(series, "\n  ")
}

func minutes(m int) time.Duration { return time.Duration(m) * time.Minute }

const day = 24 * 3600

// cert-manager's certificate metrics (internal/collectors/certificate_collector.go), as scraped
// with honorLabels, so `namespace` is the Certificate's.
func certSeries(metric, namespace, name, extra, values string) string {
	return fmt.Sprintf(`%s{namespace=%q, name=%q, issuer_name="letsencrypt-production", issuer_kind="ClusterIssuer", issuer_group="cert-manager.io", job="cert-manager-controller", pod="cert-manager-5d8f7c9b7-x2x9q"%s} %s`,
		metric, namespace, name, extra, values)
}

const expiry = "certmanager_certificate_expiration_timestamp_seconds"
const ready = "certmanager_certificate_ready_status"

// readyStatus: one series per condition, 1 on the current one.
func readyStatus(namespace, name string, trueVals, falseVals, unknownVals string) []string {
	return []string{
		certSeries(ready, namespace, name, `, condition="True"`, trueVals),
		certSeries(ready, namespace, name, `, condition="False"`, falseVals),
		certSeries(ready, namespace, name, `, condition="Unknown"`, unknownVals),
	}
}

// ACME client requests (pkg/acme/client/http.go): a counter per scheme, host, action, method, status.
func acmeRequests(status, values string) string {
	return fmt.Sprintf(`certmanager_http_acme_client_request_count{scheme="https", host="acme-v02.api.letsencrypt.org", action="new_order", method="POST", status=%q, job="cert-manager-controller"} %s`, status, values)
}

// Challenge status (internal/collectors/acme_collector.go): one series per ACME state, 1 on the current one.
func challengeStatus(challengeType, name, domain string, current func(state string) string) []string {
	var out []string
	for _, state := range []string{"valid", "ready", "pending", "processing", "invalid", "expired", "errored", ""} {
		out = append(out, fmt.Sprintf(`certmanager_certificate_challenge_status{status=%q, domain=%q, reason="", processing="true", name=%q, namespace="nginx-ingress", type=%q, job="cert-manager-controller"} %s`,
			state, domain, name, challengeType, current(state)))
	}
	return out
}

// inState: the challenge is in `state` for all n minutes.
func inState(state string, n int) func(string) string {
	return func(s string) string {
		if s == state {
			return vals(1, 0, n)
		}
		return vals(0, 0, n)
	}
}

// The NGINX exporter's up gauge (nginx-prometheus-exporter collector/helper.go), one per controller pod.
func nginxUp(pod, class, values string) string {
	return fmt.Sprintf(`nginx_ingress_nginx_up{class=%q, pod=%q, job="nginx-ingress-controller"} %s`, class, pod, values)
}

// The upstream latency histogram's _count (internal/metrics/collectors/latency.go), per upstream and code.
func upstreamResponses(code, values string) string {
	return fmt.Sprintf(`nginx_ingress_controller_upstream_server_response_latency_ms_count{class="nginx", upstream="demo-demo-demo-80", server="192.168.1.17:8080", code=%q, service="demo", resource_type="ingress", resource_name="demo", resource_namespace="demo", pod_name="demo-7c9d8-abcde"} %s`, code, values)
}

var demoIngress = map[string]string{"resource_namespace": "demo", "resource_name": "demo"}

// Samples shared by a pending case and a firing case (the same data, evaluated up to two times).
var (
	expiryCrossesAt62 = load(certSeries(expiry, "nginx-ingress", "wildcard", "", vals(21*day+3660, 0, 131)))
	notReadyFrom20    = load(readyStatus("demo", "demo-tls",
		vals(1, 0, 20)+" "+vals(0, 0, 21), vals(0, 0, 20)+" "+vals(1, 0, 21), vals(0, 0, 41))...)
	acmeRetriedEvery5m = load(acmeRequests("429", none(10)+" 1 1 1 1 1 2 2 2 2 2 3 3 3 3 3 4 4 4 4 4 5 5 5 5 5 6 "+vals(6, 0, 25)))
	dns01PendingFrom0  = load(challengeStatus("DNS-01", "wildcard-1-123-0", "example.com", inState("pending", 41))...)
	nginxDownFrom10    = load(nginxUp("nginx-ingress-6f9b-a", "nginx", vals(1, 0, 10)+" "+vals(0, 0, 21)), nginxUp("nginx-ingress-6f9b-b", "nginx", vals(1, 0, 10)+" "+vals(0, 0, 21)))
	errors6PctFrom15   = load(upstreamResponses("200", vals(0, 100, 15)+" "+vals(1494, 94, 16)), upstreamResponses("502", none(15)+" "+vals(6, 6, 16)))
)

var cases = []alertCase{
	// CertificateExpiringSoon: expiry below 21 days for an hour. The value is the absolute
	// expiry time; time() is the evaluation time (0 at the first sample).
	{
		alert: "CertificateExpiringSoon", name: "a certificate 20 days from expiry fires",
		load:  load(certSeries(expiry, "nginx-ingress", "wildcard", "", vals(20*day+7200, 0, 121))),
		at:    minutes(120),
		fires: []map[string]string{{"namespace": "nginx-ingress", "name": "wildcard"}},
	},
	{
		alert: "CertificateExpiringSoon", name: "a certificate 40 days from expiry does not",
		load: load(certSeries(expiry, "nginx-ingress", "wildcard", "", vals(40*day+7200, 0, 121))),
		at:   minutes(120),
	},
	{
		alert: "CertificateExpiringSoon", name: "22 days left is above the threshold",
		load: load(certSeries(expiry, "nginx-ingress", "wildcard", "", vals(22*day+7200, 0, 121))),
		at:   minutes(120),
	},
	{
		alert: "CertificateExpiringSoon", name: "a certificate never issued (expiry 0) is NotReady's case, not this one",
		load: load(certSeries(expiry, "demo", "demo-tls", "", vals(0, 0, 121))),
		at:   minutes(120),
	},
	{
		// Crosses 21 days at minute 62: pending for 58 minutes at 120.
		alert: "CertificateExpiringSoon", name: "below the threshold for less than an hour is still pending",
		load: expiryCrossesAt62,
		at:   minutes(120),
	},
	{
		alert: "CertificateExpiringSoon", name: "below the threshold for over an hour fires",
		load:  expiryCrossesAt62,
		at:    minutes(130),
		fires: []map[string]string{{"namespace": "nginx-ingress", "name": "wildcard"}},
	},

	// CertificateNotReady: Ready False (or Unknown) for 10 minutes.
	{
		alert: "CertificateNotReady", name: "a ready certificate does not fire",
		load: load(readyStatus("demo", "demo-tls", vals(1, 0, 41), vals(0, 0, 41), vals(0, 0, 41))...),
		at:   minutes(40),
	},
	{
		alert: "CertificateNotReady", name: "not ready for 11 minutes fires",
		load:  notReadyFrom20,
		at:    minutes(31),
		fires: []map[string]string{{"namespace": "demo", "name": "demo-tls"}},
	},
	{
		alert: "CertificateNotReady", name: "not ready for 9 minutes is still pending",
		load: notReadyFrom20,
		at:   minutes(29),
	},
	{
		alert: "CertificateNotReady", name: "a new certificate Unknown for 15 minutes fires",
		load:  load(readyStatus("shop", "shop-tls", vals(0, 0, 16), vals(0, 0, 16), vals(1, 0, 16))...),
		at:    minutes(15),
		fires: []map[string]string{{"namespace": "shop", "name": "shop-tls"}},
	},

	// AcmeRequestsFailing: more than 3 failed ACME requests in an hour, for 5 minutes. The
	// counter of a status appears with its first request (value 1).
	{
		alert: "AcmeRequestsFailing", name: "successful requests do not fire",
		load: load(acmeRequests("201", vals(1, 2, 61)), acmeRequests("200", vals(1, 5, 61))),
		at:   minutes(60),
	},
	{
		// The counter appears at 1 with the first failure, so three failures are an increase of 2.
		alert: "AcmeRequestsFailing", name: "three rate-limited orders in an hour do not fire",
		load: load(acmeRequests("201", vals(1, 0, 61)), acmeRequests("429", none(10)+" "+vals(1, 0, 10)+" "+vals(2, 0, 10)+" "+vals(3, 0, 31))),
		at:   minutes(60),
	},
	{
		// Above 3 (an increase of 3, extrapolated) from minute 25, the fifth failure.
		alert: "AcmeRequestsFailing", name: "a rate-limited order retried every five minutes fires",
		load:  acmeRetriedEvery5m,
		at:    minutes(31),
		fires: []map[string]string{{"host": "acme-v02.api.letsencrypt.org"}},
	},
	{
		alert: "AcmeRequestsFailing", name: "the same errors above the threshold for only 3 minutes are still pending",
		load: acmeRetriedEvery5m,
		at:   minutes(28),
	},
	{
		alert: "AcmeRequestsFailing", name: "an unreachable ACME server (status 999, no response) fires",
		load:  load(acmeRequests("999", none(5)+" "+vals(1, 1, 56))),
		at:    minutes(30),
		fires: []map[string]string{{"host": "acme-v02.api.letsencrypt.org"}},
	},

	// Dns01ChallengeStuck: a DNS-01 challenge not done for 30 minutes.
	{
		alert: "Dns01ChallengeStuck", name: "a DNS-01 challenge pending for 40 minutes fires",
		load:  dns01PendingFrom0,
		at:    minutes(40),
		fires: []map[string]string{{"namespace": "nginx-ingress", "name": "wildcard-1-123-0", "domain": "example.com"}},
	},
	{
		alert: "Dns01ChallengeStuck", name: "pending for 29 minutes is still pending",
		load: dns01PendingFrom0,
		at:   minutes(29),
	},
	{
		alert: "Dns01ChallengeStuck", name: "a challenge that became valid after 5 minutes does not fire",
		load: load(challengeStatus("DNS-01", "wildcard-1-123-0", "example.com", func(s string) string {
			switch s {
			case "pending":
				return vals(1, 0, 5) + " " + vals(0, 0, 36)
			case "valid":
				return vals(0, 0, 5) + " " + vals(1, 0, 36)
			}
			return vals(0, 0, 41)
		})...),
		at: minutes(40),
	},
	{
		alert: "Dns01ChallengeStuck", name: "an HTTP-01 challenge pending for 40 minutes is not a DNS-01 problem",
		load: load(challengeStatus("HTTP-01", "demo-1-456-0", "demo.example.com", inState("pending", 41))...),
		at:   minutes(40),
	},

	// IngressControllerDown: no controller pod reports NGINX up, for 5 minutes.
	{
		alert: "IngressControllerDown", name: "two healthy controller pods do not fire",
		load: load(nginxUp("nginx-ingress-6f9b-a", "nginx", vals(1, 0, 31)), nginxUp("nginx-ingress-6f9b-b", "nginx", vals(1, 0, 31))),
		at:   minutes(30),
	},
	{
		alert: "IngressControllerDown", name: "one of two pods down does not fire",
		load: load(nginxUp("nginx-ingress-6f9b-a", "nginx", vals(1, 0, 31)), nginxUp("nginx-ingress-6f9b-b", "nginx", vals(1, 0, 10)+" "+vals(0, 0, 21))),
		at:   minutes(30),
	},
	{
		alert: "IngressControllerDown", name: "both pods reporting NGINX down for 6 minutes fires",
		load: nginxDownFrom10,
		at:   minutes(16),
		// absent() returns one series without labels.
		fires: []map[string]string{{"alertname": "IngressControllerDown"}},
	},
	{
		alert: "IngressControllerDown", name: "down for 4 minutes is still pending",
		load: nginxDownFrom10,
		at:   minutes(14),
	},
	{
		alert: "IngressControllerDown", name: "no controller scraped at all fires",
		load:  load(nginxUp("nginx-ingress-6f9b-a", "nginx", vals(1, 0, 5)+" "+none(26))),
		at:    minutes(30),
		fires: []map[string]string{{"alertname": "IngressControllerDown"}},
	},

	// IngressHigh5xxRate: more than 5% of an Ingress's upstream responses are 5xx, for 10 minutes.
	{
		alert: "IngressHigh5xxRate", name: "6% 5xx for half an hour fires",
		load:  load(upstreamResponses("200", vals(0, 94, 31)), upstreamResponses("502", vals(0, 6, 31))),
		at:    minutes(30),
		fires: []map[string]string{demoIngress},
	},
	{
		alert: "IngressHigh5xxRate", name: "4% 5xx does not fire",
		load: load(upstreamResponses("200", vals(0, 96, 31)), upstreamResponses("502", vals(0, 4, 31))),
		at:   minutes(30),
	},
	{
		alert: "IngressHigh5xxRate", name: "6% 5xx for 7 minutes is still pending",
		load: errors6PctFrom15,
		at:   minutes(24),
	},
	{
		alert: "IngressHigh5xxRate", name: "6% 5xx for 16 minutes fires",
		load:  errors6PctFrom15,
		at:    minutes(30),
		fires: []map[string]string{demoIngress},
	},
	{
		alert: "IngressHigh5xxRate", name: "4xx answers are not server errors",
		load: load(upstreamResponses("200", vals(0, 80, 31)), upstreamResponses("404", vals(0, 20, 31))),
		at:   minutes(30),
	},
}
