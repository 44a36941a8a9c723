import Foundation
import Testing

/// `palisade check --fix`: verified spec edits are written back in place; other inputs are never written.
@Suite struct CheckFixTests {
    @Test func fixWritesVerifiedSpecEditsKeepingComments() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appendingPathComponent("env.yaml")
        try "# my environment\nworkspace:\n  publicNetworkAccess: true   # for a test\nkeyVault: {purgeProtection: false}\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let before = try CLIRunner.run(["check", spec.path, "--severity", "warning"])
        #expect(before.status == 1)
        #expect(before.stdout.contains("verified fix: set publicNetworkAccess to Disabled on workspace 'mlw-test'"))
        #expect(before.stdout.contains("spec edit:"))
        let fixed = try CLIRunner.run(["check", spec.path, "--fix", "--severity", "warning"])
        #expect(fixed.stderr.contains("wrote 2 verified spec edit(s)"))
        #expect(try String(contentsOf: spec, encoding: .utf8)
                == "# my environment\nworkspace:\n  publicNetworkAccess: false   # for a test\nkeyVault: {purgeProtection: true}\n")
        let after = try CLIRunner.run(["check", spec.path, "--severity", "warning"])
        #expect(after.status == 0, "\(after.stdout)")
    }

    @Test func fixWidensAnIntentThatForbidsRequiredTrafficAndClosesTheRest() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appendingPathComponent("env.yaml")
        try "# compute stays home\nfirewall:\n  allowFqdns: [\"*.github.com\"]  # for a test\nintents:\n  - from: all computes\n    mayReachOnly: [VirtualNetwork]\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let before = try CLIRunner.run(["check", spec.path])
        #expect(before.status == 1)
        #expect(before.stdout.contains("forbids what Azure Machine Learning requires"))
        let fixed = try CLIRunner.run(["check", spec.path, "--fix"])
        #expect(fixed.stderr.contains("firewall.allowFqdns: []"), "\(fixed.stderr)")
        #expect(fixed.stderr.contains("intents.0.mayReachOnly: [VirtualNetwork, "), "\(fixed.stderr)")
        let written = try String(contentsOf: spec, encoding: .utf8)
        #expect(written.hasPrefix("# compute stays home\nfirewall:\n  allowFqdns: []  # for a test\nintents:\n  - from: all computes\n    mayReachOnly: [VirtualNetwork, {to: AzureActiveDirectory"))
        #expect(!written.contains("github"))
        let after = try CLIRunner.run(["check", spec.path, "--format", "json", "--no-fixes"])
        let report = try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any]
        let findings = report?["findings"] as? [[String: Any]] ?? []
        #expect(!findings.contains { $0["ruleID"] as? String == "intent_violated" }, "\(after.stdout)")
    }

    @Test func fixNeverWritesATemplate() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let template = directory.appendingPathComponent("main.json")
        let text = """
        {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
         "resources": [{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "crexample",
           "location": "westeurope", "sku": {"name": "Premium"}, "properties": {"adminUserEnabled": true, "publicNetworkAccess": "Disabled"}}]}
        """
        try text.write(to: template, atomically: true, encoding: .utf8)
        let run = try CLIRunner.run(["check", template.path, "--fix", "--format", "json"])
        #expect(try String(contentsOf: template, encoding: .utf8) == text)
        #expect(run.stderr.contains("nothing was written"))
        #expect(run.stderr.contains("\"adminUserEnabled\": false"))
        let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let findings = report?["findings"] as? [[String: Any]] ?? []
        let admin = findings.first { $0["ruleID"] as? String == "registry_admin_user" }
        #expect((admin?["verifiedFix"] as? [String: Any])?["status"] as? String == "verified")
    }

    /// Runs `check --format sarif` in `directory` and applies the first SARIF fix of `rule` to `text` (the file the
    /// fix names, which must be `uri`), counting lines and code-point columns as the log's `columnKind` says.
    /// Returns the patched text and the first replaced line.
    func applySARIFFix(_ input: String, rule: String, in directory: URL, to text: String, uri: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> (text: String, line: Int) {
        let run = try CLIRunner.run(["check", input, "--format", "sarif", "--source-root", directory.path], in: directory)
        let log = try JSONValue.parse(run.stdout)
        if let schema = SARIFLocationTests.schema { #expect(schema.errors(log) == [], sourceLocation: sourceLocation) }
        #expect(log["runs"]?.array?.first?["columnKind"]?.string == "unicodeCodePoints", sourceLocation: sourceLocation)
        let results = log["runs"]?.array?.first?["results"]?.array ?? []
        let result = try #require(results.first { $0["ruleId"]?.string == rule }, "\(run.stdout)", sourceLocation: sourceLocation)
        let change = try #require(result["fixes"]?.array?.first?["artifactChanges"]?.array?.first, "\(result)", sourceLocation: sourceLocation)
        #expect(change["artifactLocation"]?["uri"]?.string == uri, sourceLocation: sourceLocation)
        let replacement = try #require(change["replacements"]?.array?.first, sourceLocation: sourceLocation)
        let region = replacement["deletedRegion"]
        func position(_ line: Int, _ column: Int) -> Int {
            text.split(separator: "\n", omittingEmptySubsequences: false).prefix(line - 1).reduce(0) { $0 + $1.unicodeScalars.count + 1 } + column - 1
        }
        let scalars = Array(text.unicodeScalars)
        let start = position(region?["startLine"]?.int ?? 0, region?["startColumn"]?.int ?? 0)
        let end = position(region?["endLine"]?.int ?? 0, region?["endColumn"]?.int ?? 0)
        var patched = String.UnicodeScalarView()
        patched.append(contentsOf: scalars[..<start])
        patched.append(contentsOf: (replacement["insertedContent"]?["text"]?.string ?? "").unicodeScalars)
        patched.append(contentsOf: scalars[end...])
        return (String(patched), region?["startLine"]?.int ?? 0)
    }

    /// SARIF results of a spec carry the verified spec edit as a `fixes` patch, valid against the SARIF schema,
    /// that turns the file into what `check --fix` writes.
    @Test func sarifFixesPatchTheSpec() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appendingPathComponent("env.yaml")
        let text = "# my environment\nworkspace:\n  publicNetworkAccess: true   # for a test\n"
        try text.write(to: spec, atomically: true, encoding: .utf8)
        let patched = try applySARIFFix("env.yaml", rule: "service_public_network_access", in: directory, to: text, uri: "env.yaml")
        _ = try CLIRunner.run(["check", "env.yaml", "--fix"], in: directory)
        #expect(patched.text == (try String(contentsOf: spec, encoding: .utf8)))
    }

    /// A Terraform configuration gets the verified fix as a SARIF patch of its own `.tf` line; applying the patch
    /// and checking again, the finding is gone (the patch is the fix, not a guess).
    @Test func sarifFixesPatchTerraform() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = directory.appendingPathComponent("infra")
        try FileManager.default.createDirectory(at: configuration, withIntermediateDirectories: true)
        let file = configuration.appendingPathComponent("main.tf")
        let text = """
        resource "azurerm_container_registry" "acr" {
          name                          = "crexample"
          resource_group_name           = "rg"
          location                      = "westeurope"
          sku                           = "Premium"
          admin_enabled                 = true # for a test
          public_network_access_enabled = false
        }

        """
        try text.write(to: file, atomically: true, encoding: .utf8)
        let patched = try applySARIFFix("infra", rule: "registry_admin_user", in: directory, to: text, uri: "infra/main.tf")
        #expect(patched.line == 6)
        #expect(patched.text == text.replacingOccurrences(of: "= true # for a test", with: "= false # for a test"))
        try patched.text.write(to: file, atomically: true, encoding: .utf8)
        let after = try CLIRunner.run(["check", "infra", "--format", "json"], in: directory)
        #expect(!after.stdout.contains("registry_admin_user"), "\(after.stdout)")
    }

    /// A Bicep file gets the verified fix as a SARIF patch of the property's own line; applied, the finding is gone.
    @Test func sarifFixesPatchBicep() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("main.bicep")
        let text = """
        param location string = 'westeurope'

        resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
          name: 'crexample'
          location: location
          sku: {
            name: 'Premium'
          }
          properties: {
            adminUserEnabled: true // for a test
            publicNetworkAccess: 'Disabled'
          }
        }

        """
        try text.write(to: file, atomically: true, encoding: .utf8)
        let patched = try applySARIFFix("main.bicep", rule: "registry_admin_user", in: directory, to: text, uri: "main.bicep")
        #expect(patched.line == 10)
        #expect(patched.text == text.replacingOccurrences(of: "adminUserEnabled: true //", with: "adminUserEnabled: false //"))
        try patched.text.write(to: file, atomically: true, encoding: .utf8)
        let after = try CLIRunner.run(["check", "main.bicep", "--format", "json"], in: directory)
        #expect(!after.stdout.contains("registry_admin_user"), "\(after.stdout)")
    }
}
