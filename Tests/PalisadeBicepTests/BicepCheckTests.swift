import Foundation
import PalisadeARM
import PalisadeModel
import PalisadeRules
import Testing
@testable import PalisadeBicep

/// What `check` finds in Bicep, located at the lines the user wrote.
@Suite struct BicepCheckTests {
    static let blueprint = Fixtures.path("bicep/azure-ml-secure-blueprint/app-infrastructure.bicep")

    static func blueprintFindings() -> [Finding] {
        var options = ImportOptions()
        options.overrides = ["instance": "dev", "prefix": "blueprint", "location": "westeurope", "vmAdminPassword": "not-shown"]
        let (graph, diagnostics) = BicepImporter.importFile(blueprint, options: options)
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        return Checker.run(graph)
    }

    /// The blueprint's three real defects, each pointing at the .bicep line that causes it: the storage account key
    /// returned as an output (https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-outputs-should-not-contain-secrets),
    /// the jumpbox's Basic public IP (set by the caller of the public IP module) and the image build compute that
    /// does not exist.
    @Test func blueprintDefectsAreFoundAtTheirLines() throws {
        let findings = Self.blueprintFindings()
        func located(_ rule: String, _ name: String) -> (file: String, line: Int?)? {
            guard let f = findings.first(where: { $0.ruleID == rule && $0.subject.name == name }) else { return nil }
            return (((f.location?.file ?? "") as NSString).lastPathComponent, f.location?.line)
        }
        let key = try #require(located("deployment_output_secret", "storageAccountKey"))
        #expect(key.file == "storageAccount.bicep" && key.line == 40)
        let shared = try #require(located("deployment_output_secret", "logAnalyticsWorkspacePrimarySharedKey"))
        #expect(shared.file == "logAnalyticsWorkspace.bicep" && shared.line == 28)
        let basic = try #require(findings.first { $0.ruleID == "public_ip_basic_sku" })
        #expect((basic.location?.file as NSString?)?.lastPathComponent == "virtualMachine.bicep")
        #expect(basic.location?.line == 26, "the Basic SKU is set where the jumpbox passes publicIpSku: 'Basic'")
        let image = try #require(findings.first { $0.ruleID == "workspace_image_build_compute_missing" })
        #expect((image.location?.file as NSString?)?.lastPathComponent == "machineLearningWorkspace.bicep")
        #expect(image.location?.line == 39)
        // The secret is named, never shown; nor is the administrator password.
        let output = findings.first { $0.ruleID == "deployment_output_secret" }
        #expect(output?.message.contains("storage") == true || output?.message.contains("log") == true)
        let sarif = SARIFLog(findings: findings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(sarif), as: UTF8.self)
        #expect(!text.contains("not-shown"))
        #expect(text.contains("storageAccount.bicep"))
    }

    /// Both documented failing examples of the linter rule, and a secure output that passes.
    @Test func secretOutputsInBicep() throws {
        let text = """
        @secure()
        param secureParam string
        param storageName string = 'stexample'
        resource stg 'Microsoft.Storage/storageAccounts@2023-04-01' existing = {
          name: storageName
        }
        output badResult string = 'this is the value ${secureParam}'
        output badKeys object = {
          value: stg.listKeys().keys[0].value
        }
        @secure()
        output fineKey string = stg.listKeys().keys[0].value
        output storageId string = stg.id
        """
        let dir = BicepCompilerTests.directory(["main.bicep": text])
        var options = ImportOptions()
        options.overrides = ["secureParam": "s3cr3t-value"]
        let (graph, diagnostics) = BicepImporter.importFile(dir + "/main.bicep", options: options)
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        #expect(graph.deploymentOutputs.map(\.name) == ["badKeys", "badResult", "fineKey"])
        #expect(graph.deploymentOutputs.first { $0.name == "fineKey" }?.isSecure == true)
        let findings = Checker.run(graph, rules: [DeploymentOutputSecretRule.self])
        #expect(Set(findings.map(\.subject.name)) == ["badKeys", "badResult"])
        #expect(findings.first { $0.subject.name == "badResult" }?.location?.line == 7)
        #expect(findings.first { $0.subject.name == "badKeys" }?.message.contains("listKeys()") == true)
        let encoded = String(decoding: try JSONEncoder().encode(findings), as: UTF8.self)
        #expect(!encoded.contains("s3cr3t-value"))
    }

    /// A secret reaches an output through variables and module parameters too; a secure module parameter returned by
    /// the module is flagged in the module.
    @Test func secretOutputsThroughVariablesAndModules() throws {
        let module = "@secure()\nparam password string\noutput echoed string = password\n"
        let text = """
        @secure()
        param adminPassword string
        resource stg 'Microsoft.Storage/storageAccounts@2023-04-01' existing = {
          name: 'stexample'
        }
        var keys = stg.listKeys()
        var first = keys.keys[0]
        output viaVariables string = first.value
        module m 'mod.bicep' = {
          name: 'inner'
          params: { password: adminPassword }
        }
        """
        let dir = BicepCompilerTests.directory(["main.bicep": text, "mod.bicep": module])
        var options = ImportOptions()
        options.overrides = ["adminPassword": "n0t-pr1nted"]
        let (graph, diagnostics) = BicepImporter.importFile(dir + "/main.bicep", options: options)
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let findings = Checker.run(graph, rules: [DeploymentOutputSecretRule.self])
        #expect(Set(findings.map(\.subject.name)) == ["viaVariables", "echoed"])
        let echoed = try #require(findings.first { $0.subject.name == "echoed" })
        #expect(echoed.message.contains("deployment 'inner'") && echoed.message.contains("secure parameter 'password'"))
        #expect((echoed.location?.file as NSString?)?.lastPathComponent == "mod.bicep" && echoed.location?.line == 3)
        #expect(!String(decoding: try JSONEncoder().encode(findings), as: UTF8.self).contains("n0t-pr1nted"))
    }

    /// Properties point at the line that set them, in the file that set them, modules included.
    @Test func propertiesPointAtTheirLines() throws {
        let module = """
        param skuName string
        resource pip 'Microsoft.Network/publicIPAddresses@2024-03-01' = {
          name: 'pip-jump'
          location: 'westeurope'
          sku: {
            name: skuName
          }
          properties: {
            publicIPAllocationMethod: 'Static'
          }
        }
        """
        let main = """
        module ip 'ip.bicep' = {
          name: 'ip'
          params: {
            skuName: 'Basic'
          }
        }
        resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
          name: 'nsg'
          location: 'westeurope'
          properties: {
            securityRules: [
              {
                name: 'ssh'
                properties: {
                  access: 'Allow'
                  direction: 'Inbound'
                }
              }
            ]
          }
        }
        """
        let dir = BicepCompilerTests.directory(["main.bicep": main, "ip.bicep": module])
        let (graph, diagnostics) = BicepImporter.importFile(dir + "/main.bicep")
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let pip = try #require(graph.resources(named: "pip-jump").first)
        let sku = try #require(graph.source(of: pip.id, property: "sku.name"))
        #expect((sku.file as NSString).lastPathComponent == "main.bicep" && sku.line == 4, "\(sku)")
        let method = try #require(graph.source(of: pip.id, property: "properties.publicIPAllocationMethod"))
        #expect((method.file as NSString).lastPathComponent == "ip.bicep" && method.line == 9)
        let nsg = try #require(graph.resources(named: "nsg").first)
        #expect(graph.source(of: nsg.id, property: "properties.securityRules[0].properties.access")?.line == 15)
        #expect(graph.source(of: nsg.id, property: "properties.securityRules[0].properties.sourceAddressPrefix")?.line == 14)
        #expect(graph.source(of: nsg.id, property: "location")?.line == 9)
    }
}
