package harness

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// FakeAccountID is the account the fake STS reports. The reference app's
// allowed_account_ids holds it too, so the provider's account check passes.
const FakeAccountID = "123456789012"

// FakeAWS is a loopback HTTP server that answers the read-only AWS calls
// the provider makes during plan, so that plan runs with no network:
//
//   - STS GetCallerIdentity (account ID for allowed_account_ids and
//     data.aws_caller_identity);
//   - EC2 DescribeAvailabilityZones (data.aws_availability_zones), with
//     zones a, b, c and d of the requested region.
//
// Any other call gets a 400 error naming the action, so a plan that needs
// more fails loudly instead of hanging.
type FakeAWS struct {
	URL    string
	server *http.Server
}

// StartFakeAWS listens on 127.0.0.1 on a free port.
func StartFakeAWS() (*FakeAWS, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &FakeAWS{URL: "http://" + ln.Addr().String()}
	f.server = &http.Server{Handler: http.HandlerFunc(f.serve)}
	go f.server.Serve(ln)
	return f, nil
}

// Endpoints returns the provider endpoints block that routes the faked
// services here.
func (f *FakeAWS) Endpoints() map[string]any {
	return map[string]any{"sts": f.URL, "ec2": f.URL}
}

// Close stops the server.
func (f *FakeAWS) Close() error { return f.server.Close() }

func (f *FakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	action := r.Form.Get("Action")
	region := regionOf(r)
	w.Header().Set("Content-Type", "text/xml")
	switch action {
	case "GetCallerIdentity":
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<GetCallerIdentityResult><Arn>arn:aws:iam::%[1]s:user/harness</Arn><UserId>AIDAHARNESS</UserId><Account>%[1]s</Account></GetCallerIdentityResult>
<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`, FakeAccountID)
	case "DescribeAvailabilityZones":
		var b strings.Builder
		for i, s := range []string{"a", "b", "c", "d"} {
			fmt.Fprintf(&b, `<item><zoneName>%[1]s%[2]s</zoneName><zoneId>use1-az%[3]d</zoneId><zoneState>available</zoneState><regionName>%[1]s</regionName><zoneType>availability-zone</zoneType><optInStatus>opt-in-not-required</optInStatus><groupName>%[1]s</groupName><networkBorderGroup>%[1]s</networkBorderGroup><messages/></item>`, region, s, i+1)
		}
		fmt.Fprintf(w, `<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>00000000-0000-0000-0000-000000000000</requestId><availabilityZoneInfo>%s</availabilityZoneInfo></DescribeAvailabilityZonesResponse>`, b.String())
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>harness.FakeAWS does not implement %s</Message></Error><RequestId>0</RequestId></ErrorResponse>`, url.QueryEscape(action))
	}
}

// regionOf reads the region from the SigV4 credential scope.
func regionOf(r *http.Request) string {
	auth := r.Header.Get("Authorization")
	if i := strings.Index(auth, "Credential="); i >= 0 {
		parts := strings.Split(auth[i+len("Credential="):], "/")
		if len(parts) > 2 {
			return parts[2]
		}
	}
	return "us-east-1"
}
