import Foundation
import Testing

/// `plan`, `check` and `trace` on microsoft/privateAML's Terraform, read in place from the shared fixtures.
@Suite struct TerraformCommandTests {
    static let privateAML = CLITests.repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures/terraform/privateaml").path
    static let values = ["--var", "name=test", "--var", "location=westeurope", "--var", "vnet_address_space=10.1.0.0/22"]

    @Test func planListsWhatApplyWouldCreateAndWhatWasAssumed() throws {
        let result = try CLITests().run(["plan", Self.privateAML, "--var-file", Self.privateAML + "/terraform.tfvars.tmpl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("AzureFirewallSubnet"))
        #expect(result.stdout.contains("10.1.1.0/24"))
        #expect(result.stdout.contains("SharedSubnet"))
        #expect(result.stdout.contains("0.0.0.0/0 → VirtualAppliance 10.1.1.4"))
        #expect(result.stdout.contains("assumed: random_string.unique_id.result is generated at apply"))
    }

    @Test func checkFindsItsRealDefectsAtTheirTerraformLines() throws {
        let result = try CLITests().run(["check", Self.privateAML, "--severity", "error"] + Self.values)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("registry_image_build_compute"))
        // Located at the workspace's container_registry_id argument, the registry it names having public access disabled.
        #expect(result.stdout.contains("aml/aml.tf:8:3"))
        let all = try CLITests().run(["check", Self.privateAML, "--severity", "error", "--format", "sarif"] + Self.values)
        #expect(all.stdout.contains("firewall_exfiltration_allowance"))
        // Its Azure Monitor private link scope (an embedded ARM deployment) runs in Open mode, which Azure ML requires:
        // read, and not flagged.
        let text = try CLITests().run(["check", Self.privateAML, "--severity", "note"] + Self.values)
        #expect(text.stdout.contains("firewall_exfiltration_allowance"))
        // Internet → TCP 44224 on the shared subnet, at the rule's source_address_prefix line.
        #expect(text.stdout.contains("nsg_compute_management_source"))
        #expect(text.stdout.contains("network/network_security_groups.tf:139:3"))
        #expect(!text.stdout.contains("monitor_scope_private_only"))
    }

    @Test func traceJudgesPacketsByTheClassicFirewallRules() throws {
        let allowed = try CLITests().run(["trace", Self.privateAML, "--from", "SharedSubnet", "--to", "conda.anaconda.org", "--port", "443"] + Self.values)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("verdict: allowed"))
        let denied = try CLITests().run(["trace", Self.privateAML, "--from", "SharedSubnet", "--to", "8.8.8.8", "--port", "53", "--protocol", "udp"] + Self.values)
        #expect(denied.stdout.contains("verdict: denied"))
        #expect(denied.stdout.contains("fw-test"))
    }

    @Test func missingVariableExitsTwoWithItsLocation() throws {
        let result = try CLITests().run(["plan", Self.privateAML])
        #expect(result.status == 2)
        #expect(result.stderr.contains("privateaml/variables.tf:"))
        #expect(result.stderr.contains("required variable"))
        #expect(result.stderr.contains("--var"))
        #expect(result.stdout.isEmpty)
    }
}
