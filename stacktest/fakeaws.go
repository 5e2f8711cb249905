package stacktest

import (
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/hardened-iac/cdktf-aws/iampolicy"
)

// FakeAccountID is the account the fake AWS reports for a provider that
// neither allows nor forbids accounts (and for credentials it does not
// know).
const FakeAccountID = "999999999999"

// FakeSecretKey is the secret key of every fake credential; no AWS endpoint
// ever sees it.
const FakeSecretKey = "stacktestFAKEsecretKEYstacktestFAKEsecret"

// FakeAWS is a loopback HTTP server that answers the read-only AWS calls the
// hashicorp/aws provider makes during plan, so that plan needs no network
// and no real account:
//
//   - STS GetCallerIdentity, with the account of the credentials the caller
//     signed with (see Credentials): the provider checks it against
//     allowed_account_ids and forbidden_account_ids, and
//     data.aws_caller_identity reads it;
//   - STS AssumeRole (a provider's assume_role), answering with credentials
//     of the role ARN's account;
//   - EC2 DescribeAvailabilityZones (data.aws_availability_zones): zones a to
//     d of the region the request is signed for.
//
// Any other call gets a 400 error naming the action, so a plan that needs
// more fails loudly instead of hanging.
type FakeAWS struct {
	// URL is the endpoint, "http://127.0.0.1:<port>".
	URL string

	server   *http.Server
	mu       sync.Mutex
	accounts map[string]string // access key -> account
}

// StartFakeAWS listens on 127.0.0.1 on a free port. Close stops it.
func StartFakeAWS() (*FakeAWS, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &FakeAWS{URL: "http://" + ln.Addr().String(), accounts: map[string]string{}}
	f.server = &http.Server{Handler: http.HandlerFunc(f.serve)}
	go f.server.Serve(ln)
	return f, nil
}

// Credentials returns an access key and secret key for which the fake
// reports account (a 12-digit ID).
func (f *FakeAWS) Credentials(account string) (accessKey, secretKey string) {
	// 20 characters like a real key: "AKIA" + "STKT" + the account.
	key := "AKIASTKT" + account
	f.mu.Lock()
	f.accounts[key] = account
	f.mu.Unlock()
	return key, FakeSecretKey
}

// fakedServices are the services FakeAWS answers (IAM with an error: the
// provider first tries iam:GetUser for the account ID, then asks STS).
var fakedServices = []string{"sts", "ec2", "iam"}

// Endpoints returns an endpoints block (of a provider or an S3 backend) that
// routes the faked services, STS, EC2 and IAM, here. Terraform.Env routes
// them by environment instead.
func (f *FakeAWS) Endpoints() map[string]any {
	out := map[string]any{}
	for _, s := range fakedServices {
		out[s] = f.URL
	}
	return out
}

// Close stops the server.
func (f *FakeAWS) Close() error { return f.server.Close() }

var accountRe = regexp.MustCompile(`^\d{12}$`)

// AccountFor returns the account a provider configuration must see: the
// first literal entry of allowed_account_ids, else FakeAccountID or, when
// forbidden_account_ids lists it, the first account not forbidden. Entries
// that are not literal account IDs (references) are ignored.
func AccountFor(allowed, forbidden []string) string {
	for _, a := range allowed {
		if accountRe.MatchString(a) {
			return a
		}
	}
	for n := 0; ; n++ {
		candidate := fmt.Sprintf("%012d", 999999999999-n)
		if !slices.Contains(forbidden, candidate) {
			return candidate
		}
	}
}

func (f *FakeAWS) accountOf(r *http.Request) string {
	key, _, _ := signature(r)
	f.mu.Lock()
	defer f.mu.Unlock()
	if a, ok := f.accounts[key]; ok {
		return a
	}
	return FakeAccountID
}

func (f *FakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	action := r.Form.Get("Action")
	_, region, _ := signature(r)
	if region == "" {
		region = "us-east-1" // STS's global endpoint signs for us-east-1
	}
	partition := iampolicy.Partition(region)
	w.Header().Set("Content-Type", "text/xml")
	switch action {
	case "GetCallerIdentity":
		account := f.accountOf(r)
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<GetCallerIdentityResult><Arn>arn:%[2]s:iam::%[1]s:user/stacktest</Arn><UserId>AIDASTACKTEST</UserId><Account>%[1]s</Account></GetCallerIdentityResult>
<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`, account, partition)
	case "AssumeRole":
		role := r.Form.Get("RoleArn")
		parts := strings.Split(role, ":")
		account := FakeAccountID
		if len(parts) > 4 && accountRe.MatchString(parts[4]) {
			account = parts[4]
		}
		key, secret := f.Credentials(account)
		session := r.Form.Get("RoleSessionName")
		fmt.Fprintf(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>stacktest</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>%s</Arn><AssumedRoleId>AROASTACKTEST:%s</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></AssumeRoleResponse>`,
			key, secret, html.EscapeString(strings.Replace(role, ":role/", ":assumed-role/", 1)+"/"+session), html.EscapeString(session))
	case "DescribeAvailabilityZones":
		var b strings.Builder
		id := zoneIDPrefix(region)
		for i, s := range []string{"a", "b", "c", "d"} {
			fmt.Fprintf(&b, `<item><zoneName>%[1]s%[2]s</zoneName><zoneId>%[4]s-az%[3]d</zoneId><zoneState>available</zoneState><regionName>%[1]s</regionName><zoneType>availability-zone</zoneType><optInStatus>opt-in-not-required</optInStatus><groupName>%[1]s</groupName><networkBorderGroup>%[1]s</networkBorderGroup><messages/></item>`, region, s, i+1, id)
		}
		fmt.Fprintf(w, `<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>00000000-0000-0000-0000-000000000000</requestId><availabilityZoneInfo>%s</availabilityZoneInfo></DescribeAvailabilityZonesResponse>`, b.String())
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>stacktest.FakeAWS does not implement %s</Message></Error><RequestId>0</RequestId></ErrorResponse>`, url.QueryEscape(action))
	}
}

// signature reads the access key, region and service from the SigV4
// credential scope of the request.
func signature(r *http.Request) (key, region, service string) {
	auth := r.Header.Get("Authorization")
	i := strings.Index(auth, "Credential=")
	if i < 0 {
		return "", "", ""
	}
	scope, _, _ := strings.Cut(auth[i+len("Credential="):], ",")
	parts := strings.Split(scope, "/")
	if len(parts) > 3 {
		return parts[0], parts[2], parts[3]
	}
	return "", "", ""
}

// zoneIDPrefix makes an AZ ID prefix like AWS's: "eu-west-1" -> "euw1".
func zoneIDPrefix(region string) string {
	parts := strings.Split(region, "-")
	var b strings.Builder
	for i, p := range parts {
		if i == 0 || i == len(parts)-1 {
			b.WriteString(p)
		} else if p != "" {
			b.WriteByte(p[0])
		}
	}
	return b.String()
}
