package teams

import (
	"net"
	"net/url"
	"strings"
)

// botFrameworkHosts are the domains of the Bot Connector's service URLs.
var botFrameworkHosts = []string{".botframework.com", ".trafficmanager.net", ".botframework.us", ".botframework.azure.us", ".teams.microsoft.com"}

// trustedServiceURL reports whether the bot may send its connector token
// to a service URL that no token vouched for: an https URL on a Bot
// Framework host, or on the host of the configured default service URL.
func (a *Adapter) trustedServiceURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	if def, err := url.Parse(a.opt.Endpoints.ServiceURL); err == nil && strings.EqualFold(def.Host, u.Host) {
		return true
	}
	if u.Scheme != "https" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	for _, d := range botFrameworkHosts {
		if strings.HasSuffix(host, d) {
			return true
		}
	}
	return false
}

// loopbackURL reports whether a service URL is on this machine: the only
// service URLs an unauthenticated adapter (local testing) talks to, so
// that a stranger who can reach the port cannot make the bot call out.
func loopbackURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
