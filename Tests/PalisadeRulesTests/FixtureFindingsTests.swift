import Foundation
import PalisadeARM
import PalisadeModel
import PalisadeRules
import Testing

/// The catalog on the real third-party ARM fixtures (`../shared/fixtures/arm`): each must report the problems its
/// INVENTORY.md documents, with evidence, a fix and a source location.
@Suite struct FixtureFindingsTests {
    /// A fixture template, its parameter file, and (rule, resource name) pairs that must be reported.
    struct Case: Sendable, CustomStringConvertible {
        var template: String
        var parameters: String
        var expected: [String]  // "rule_id resource-name"
        var description: String { template }
    }

    static let cases: [Case] = [
        Case(template: "aml-end-to-end-secure/azuredeploy.json", parameters: "aml-end-to-end-secure/azuredeploy.parameters.json", expected: [
            "private_endpoint_dns_zone_name ple-pal123-l76h-kv",  // fact 5: privatelink.vault.azure.net
            "special_subnet_size AzureBastionSubnet",  // fact 4: /27
            "subnet_without_nsg AzureBastionSubnet",
            "registry_admin_user crpal123l76h",  // fact 7
            "storage_shared_key_access stpal123l76h",
            "storage_service_endpoint_policy snet-scoring",  // fact 6
            "nsg_exfiltration_allowance nsg-pal123-l76h",  // fact 3: Storage.<region>, AzureFrontDoor.FrontEnd
            "compute_public_ip cluster001",  // fact 2
            "workspace_storage_endpoint_reader mlw-pal123-l76h",  // no role assignments at all (V-20)
        ]),
        Case(template: "aml-network-restricted/azuredeploy.json", parameters: "aml-network-restricted/azuredeploy.parameters.json", expected: [
            "private_endpoint_dns_zone_name ple-pal12345-l76h-kv",
            "registry_image_build_compute aml-pal12345-l76h76n",
        ]),
        Case(template: "aml-network-restricted/prereqs/prereq.azuredeploy.json",
             parameters: "aml-network-restricted/prereqs/prereq.azuredeploy.parameters.json", expected: [
            "virtual_machine_public_ip windows-bastion",
            "subnet_without_nsg default",
        ]),
        Case(template: "azurefirewall-sandbox-linux/azuredeploy.json", parameters: "azurefirewall-sandbox-linux/azuredeploy.parameters.json", expected: [
            "nsg_internet_management_ports JumpHostNSG",  // fact 4: TCP 22 from *
            "virtual_machine_public_ip JumpBox",
            "subnet_without_nsg JumpboxSubnet",  // fact 3
            "firewall_threat_intel_mode firewall1",  // fact 2: threat intel not set
        ]),
        Case(template: "avm-network-security-group/main.json", parameters: "avm-network-security-group/main.parameters.json", expected: [
            "nsg_exfiltration_allowance nsg-snet-training-test",
        ]),
        // Open access modes are what Azure ML requires of a private link scope, so the scope is not flagged.
        Case(template: "privateaml-ampls/ampls.json", parameters: "privateaml-ampls/ampls.parameters.json", expected: []),
    ]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/arm")

    @Test(arguments: cases) func fixtureFindings(_ fixture: Case) throws {
        let template = Self.root.appendingPathComponent(fixture.template).path
        try #require(FileManager.default.fileExists(atPath: template), "fixture missing: \(template)")
        var options = ImportOptions()
        options.parameterFiles = [Self.root.appendingPathComponent(fixture.parameters).path]
        options.evaluation.placeholders = true
        let (graph, diagnostics) = ARMImporter.importFile(template, options: options)
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let findings = Checker.run(graph)
        let found = Set(findings.map { "\($0.ruleID) \($0.subject.name)" })
        for pair in fixture.expected {
            #expect(found.contains(pair), "\(fixture.template): expected \(pair); found \(found.sorted())")
        }
        for finding in findings {
            #expect(!finding.evidence.isEmpty && !finding.fix.isEmpty, "\(finding.ruleID) on \(finding.subject.name) lacks evidence or fix")
            #expect(finding.location != nil, "\(finding.ruleID) on \(finding.subject.name) has no source location")
            #expect(finding.message.first?.isLowercase ?? false, "message should start lower-case: \(finding.message)")
        }
    }
}
