package stacktest

import "github.com/aws/constructs-go/constructs/v10"

// SharedTestApps are apps of the external test package (the examples) whose
// stacks this package's tests plan and scan in their shared runs, so that the
// examples find their plans and findings cached instead of paying for
// Terraform and trivy runs of their own. Only test builds have it.
var SharedTestApps []func(app constructs.Construct) error
