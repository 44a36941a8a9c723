import Foundation
import Testing
import PalisadeModel
@testable import PalisadeARM

/// Input Azure rejects is rejected here too, with a located error, instead of being accepted in silence.
@Suite struct SilentAcceptanceTests {
    static func expand(_ text: String, _ configure: (inout EvaluationOptions) -> Void = { _ in }) -> ExpandedDeployment {
        var options = EvaluationOptions()
        configure(&options)
        return TemplateEvaluator.expand(try! Fixtures.parse(text), file: "t.json", options: options)
    }

    static func imported(_ text: String) -> Diagnostics {
        ARMImporter.importDeployment(expand(text)).1
    }

    static func nsg(_ name: String, dependsOn: [String] = [], rules: String = "[]") -> String {
        let deps = dependsOn.map { ARMText.quote($0) }.joined(separator: ", ")
        return #"{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "\#(name)", "location": "eastus", "dependsOn": [\#(deps)], "properties": {"securityRules": \#(rules)}}"#
    }

    @Test func anyJSONObjectIsNotAnEmptyTemplate() {
        let result = Self.expand(#"{"name": "my-package", "version": "1.0.0", "dependencies": {}}"#)
        let error = result.diagnostics.errors.first
        #expect(error?.code == "arm.template-shape")
        #expect(error?.message.contains("no 'resources'") == true)
        #expect(error?.location?.file == "t.json")
    }

    @Test func duplicateResourcesAreRejected() {
        // Azure: "The resource ... is defined multiple times in a template".
        let text = #"{"resources": [\#(Self.nsg("a")), \#(Self.nsg("A", rules: #"[{"name": "all", "properties": {"access": "Allow"}}]"#))]}"#
        let error = Self.expand(text).diagnostics.errors.first { $0.code == "arm.duplicate-resource" }
        #expect(error?.location?.path == "resources[1].name")
    }

    @Test func aResourceInTwoDeploymentsIsNotADuplicate() {
        let nested = #"{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "again", "properties": {"mode": "Incremental", "template": {"resources": [\#(Self.nsg("a"))]}}}"#
        let result = Self.expand(#"{"resources": [\#(Self.nsg("a")), \#(nested)]}"#)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics)")
    }

    @Test func duplicateSubnetsRulesAndRoutesAreRejected() {
        let vnet = #"{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "v", "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [{"name": "app", "properties": {"addressPrefix": "10.0.0.0/24"}}, {"name": "APP", "properties": {"addressPrefix": "10.0.0.0/16"}}]}}"#
        let rules = #"[{"name": "r", "properties": {"priority": 100, "direction": "Inbound", "access": "Deny", "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}}, {"name": "r", "properties": {"priority": 101, "direction": "Inbound", "access": "Allow", "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}}]"#
        let diagnostics = Self.imported(#"{"resources": [\#(vnet), \#(Self.nsg("n", rules: rules))]}"#)
        let paths = diagnostics.errors.filter { $0.code == "arm.duplicate-name" }.compactMap { $0.location?.path }
        #expect(paths == ["resources[0].properties.subnets[1]", "resources[1].properties.securityRules[1]"])
    }

    @Test func duplicateIDsInAnExportAreRejected() throws {
        let id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n"
        let raw = RawResource(type: "Microsoft.Network/networkSecurityGroups", name: "n", id: id, body: .object(ARMObject()), source: nil)
        #expect(ARMImporter.convert([raw, raw], rejectDuplicateIDs: true).1.errors.contains { $0.code == "arm.duplicate-resource" })
        #expect(!ARMImporter.convert([raw, raw]).1.hasErrors)
    }

    @Test func dependsOnCyclesAreReported() {
        let text = #"{"resources": [\#(Self.nsg("a", dependsOn: ["[resourceId('Microsoft.Network/networkSecurityGroups', 'c')]"])), \#(Self.nsg("b", dependsOn: ["Microsoft.Network/networkSecurityGroups/a"])), \#(Self.nsg("c", dependsOn: ["b"]))]}"#
        let error = Self.expand(text).diagnostics.errors.first { $0.code == "arm.dependency-cycle" }
        #expect(error?.message.contains("a → c → b → a") == true)
        #expect(error?.location?.path == "resources[0].dependsOn")
        let acyclic = #"{"resources": [\#(Self.nsg("a")), \#(Self.nsg("b", dependsOn: ["a"])), \#(Self.nsg("c", dependsOn: ["a", "b"]))]}"#
        #expect(!Self.expand(acyclic).diagnostics.hasErrors)
        let selfDependent = #"{"resources": [\#(Self.nsg("a", dependsOn: ["a"]))]}"#
        #expect(Self.expand(selfDependent).diagnostics.errors.contains { $0.code == "arm.dependency-cycle" })
    }

    @Test func unknownLanguageVersionIsRejected() {
        let bad = Self.expand(#"{"languageVersion": "3.7", "resources": {}}"#)
        #expect(bad.diagnostics.errors.first?.code == "arm.language-version")
        #expect(bad.diagnostics.errors.first?.location?.path == "languageVersion")
        #expect(!Self.expand(#"{"languageVersion": "2.0", "resources": {}}"#).diagnostics.hasErrors)
    }

    @Test func childNameNeedsOneSegmentPerTypeSegment() {
        // Azure: "A nested resource type must have identical number of segments as its resource name".
        let text = #"{"resources": [{"type": "Microsoft.KeyVault/vaults/secrets", "apiVersion": "2023-07-01", "name": "s", "properties": {}}, {"type": "Microsoft.KeyVault/vaults/secrets", "apiVersion": "2023-07-01", "name": "v/s", "properties": {}}]}"#
        let result = Self.expand(text)
        let errors = result.diagnostics.errors.filter { $0.code == "arm.name-segments" }
        #expect(errors.map { $0.location?.path } == ["resources[0].name"])
        #expect(result.resources.map(\.name) == ["v/s"])
    }

    @Test func malformedSecureOverrideIsNeverEchoed() {
        let text = #"{"parameters": {"so": {"type": "secureObject"}}, "resources": []}"#
        for value in [#"{"password": "hunter2-secret""#, "hunter2-secret", "[\"hunter2-secret\"]"] {
            let result = Self.expand(text) { $0.overrides = ["so": value] }
            let error = result.diagnostics.errors.first
            #expect(error?.code == "arm.parameter-type")
            #expect(result.diagnostics.allSatisfy { !$0.description.contains("hunter2") })
        }
    }

    @Test(arguments: ["2026-13-45T99:99:99Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "10000-01-01T00:00:00Z", "1/1/2026", "yesterday", ""])
    func invalidUTCNowIsRejected(text: String) {
        #expect(!DeploymentContext.isValidUTCNow(text))
    }

    @Test func validUTCNowIsAccepted() {
        #expect(DeploymentContext.isValidUTCNow("2026-12-31T23:59:59Z"))
        #expect(DeploymentContext.isValidUTCNow("2024-02-29T00:00:00.123Z"))
    }

    @Test func vpnRootCertificateMustBeBase64DER() {
        func gateway(_ data: String) -> String {
            #"{"resources": [{"type": "Microsoft.Network/virtualNetworkGateways", "apiVersion": "2023-04-01", "name": "g", "location": "eastus", "properties": {"vpnClientConfiguration": {"vpnClientAddressPool": {"addressPrefixes": ["172.16.0.0/24"]}, "vpnClientRootCertificates": [{"name": "root", "properties": {"publicCertData": "\#(data)"}}]}}}]}"#
        }
        // A minimal DER SEQUENCE (30 03 02 01 01) is the shape; PEM armour, text and truncated DER are not.
        #expect(!Self.imported(gateway("MAMCAQE=")).hasErrors)
        for bad in ["-----BEGIN CERTIFICATE-----", "not base64 at all", "aGVsbG8gd29ybGQ=", "MAoCAQE="] {
            let error = Self.imported(gateway(bad)).errors.first { $0.code == "arm.vpn-root-certificate" }
            #expect(error?.location?.path?.hasSuffix("publicCertData") == true, "\(bad)")
        }
    }
}
