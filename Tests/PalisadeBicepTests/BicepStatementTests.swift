import Foundation
import PalisadeARM
import PalisadeModel
import Testing
@testable import PalisadeBicep

/// File functions, `assert` and `extension`, each from the documented example.
@Suite struct BicepStatementTests {
    /// loadYamlContent with the documented network security group example, whole and through a path filter:
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-files#loadyamlcontent
    @Test func loadYamlContent() {
        let yaml = """
        name: 'AllowSSH'
        properties:
          description: 'Allows SSH traffic'
          protocol: 'Tcp'
          sourcePortRange: '*'
          destinationPortRange: '22'
          sourceAddressPrefix: '*'
          destinationAddressPrefix: '*'
          access: 'Allow'
          priority: 100
          direction: 'Inbound'
        """
        let text = """
        var nsgconfig = loadYamlContent('nsg-security-rules.yaml')
        resource newNSG 'Microsoft.Network/networkSecurityGroups@2023-11-01' = {
          name: 'example-nsg'
          location: 'westeurope'
          properties: {
            securityRules: [
              nsgconfig
            ]
          }
        }
        output priority int = loadYamlContent('nsg-security-rules.yaml', '$.properties').priority
        """
        let d = BicepCompilerTests.expand(text, files: ["nsg-security-rules.yaml": yaml])
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        let rule = BicepCompilerTests.resource(d, "example-nsg")?.properties["securityRules"]?.arrayValue?.first
        #expect(rule?["name"] == .string("AllowSSH"))
        #expect(rule?["properties"]?["priority"] == .int(100))
        #expect(rule?["properties"]?["destinationPortRange"] == .string("22"))
        #expect(d.outputs["priority"] == .int(100))
        // Not YAML, or a path that selects nothing: a located compile error.
        let bad = BicepCompilerTests.expand("output x object = loadYamlContent('bad.yaml')\n", files: ["bad.yaml": "a: [1, 2\n"])
        #expect(bad.diagnostics.errors.first?.location?.line == 1)
        let alias = BicepCompilerTests.expand("output x object = loadYamlContent('bomb.yaml')\n",
                                              files: ["bomb.yaml": "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n" + (1..<12).map { "l\($0): &l\($0) [*\($0 == 1 ? "a" : "l\($0 - 1)"), *\($0 == 1 ? "a" : "l\($0 - 1)"), *\($0 == 1 ? "a" : "l\($0 - 1)"), *\($0 == 1 ? "a" : "l\($0 - 1)")]" }.joined(separator: "\n")])
        #expect(alias.diagnostics.hasErrors, "an alias bomb is bounded")
    }

    /// loadDirectoryFileInfo with the documented example (a modules folder holding appService.bicep):
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-files#loaddirectoryfileinfo
    @Test func loadDirectoryFileInfo() {
        let text = """
        var dirFileInfo = loadDirectoryFileInfo('./modules/', '*.bicep')
        output dirFileInfoOutput object[] = dirFileInfo
        output all int = length(loadDirectoryFileInfo('modules'))
        """
        let d = BicepCompilerTests.expand(text, files: ["modules/appService.bicep": "param x string = ''\n", "modules/readme.md": "x"])
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        #expect(d.outputs["dirFileInfoOutput"] == .array([.object(ARMObject([
            ("relativePath", .string("modules/appService.bicep")), ("baseName", .string("appService.bicep")), ("extension", .string(".bicep")),
        ]))]))
        #expect(d.outputs["all"] == .int(2))
        #expect(BicepCompilerTests.expand("output x array = loadDirectoryFileInfo('missing')\n").diagnostics.hasErrors)
    }

    /// `assert` statements are checked as a deployment would: a false one fails it (exit 2), a true one does not.
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-config#enable-experimental-features
    @Test func assertions() throws {
        let text = """
        param location string = 'westeurope'
        param environment string = 'dev'
        assert locationIsEurope = startsWith(location, 'west') || location == 'northeurope'
        assert knownEnvironment = contains(['dev', 'prod'], environment)
        output ok bool = true
        """
        let fine = BicepCompilerTests.expand(text)
        #expect(!fine.diagnostics.hasErrors, "\(fine.diagnostics.errors)")
        let failed = BicepCompilerTests.expand(text, parameters: ["environment": .string("test")])
        let error = try #require(failed.diagnostics.errors.first)
        #expect(error.code == "arm.assertion-failed")
        #expect(error.message.contains("knownEnvironment"))
        #expect(error.location?.line == 4 && error.location?.file.hasSuffix("main.bicep") == true)
        // An assertion shares the namespace of other declarations.
        #expect(BicepCompiler.compile(text: "param a string\nassert a = true\n", file: "a.bicep").diagnostics.hasErrors)
    }

    /// `extension` declarations are reported, and the rest of the file is read.
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-extension
    @Test func extensionsAreReportedNotFatal() {
        let text = """
        extension microsoftGraphV1
        extension 'br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:0.1.8-preview' as graph
        extension kubernetes with {
          namespace: 'default'
          kubeConfig: ''
        } as k8s
        resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
          name: 'nsg-after-extensions'
          location: 'westeurope'
        }
        """
        let d = BicepCompilerTests.expand(text)
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        let warnings = d.diagnostics.items.filter { $0.code == "bicep.extension-not-read" }
        #expect(warnings.count == 3)
        #expect(warnings.map { $0.location?.line } == [1, 2, 3])
        #expect(warnings.first?.message.contains("microsoftGraphV1") == true)
        #expect(BicepCompilerTests.resource(d, "nsg-after-extensions") != nil)
    }
}
