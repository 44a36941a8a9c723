import Foundation
import PalisadeARM
import PalisadeModel
import Testing
@testable import PalisadeRender

/// Rendering never weakens how a VM authenticates: SSH-key-only Linux VMs stay SSH-key-only.
@Suite struct AuthenticationTests {
    static func graph(_ resources: String, parameters: String = "{}") throws -> ResourceGraph {
        var parser = JSONParser(maxDepth: 64)
        let node = try parser.parse(#"{"parameters": \#(parameters), "resources": [\#(resources)]}"#)
        var options = EvaluationOptions()
        options.placeholders = true
        let (graph, diagnostics) = ARMImporter.importDeployment(TemplateEvaluator.expand(node, file: "t.json", options: options))
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        return graph
    }

    static func vm(_ name: String, osProfile: String) -> String {
        #"{"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-03-01", "name": "\#(name)", "location": "eastus", "properties": {"hardwareProfile": {"vmSize": "Standard_B2s"}, "osProfile": \#(osProfile), "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest"}}}}"#
    }

    static let sshOnly = vm("linux", osProfile: #"{"computerName": "linux", "adminUsername": "ops", "linuxConfiguration": {"disablePasswordAuthentication": true, "ssh": {"publicKeys": [{"path": "/home/ops/.ssh/authorized_keys", "keyData": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyOne ops"}]}}}"#)

    static func files(_ graph: ResourceGraph, _ target: RenderTarget) -> String {
        Renderer.render(graph, target: target).files.map(\.contents).joined(separator: "\n")
    }

    @Test func sshOnlyLinuxVMStaysSSHOnlyInARM() throws {
        let graph = try Self.graph(Self.sshOnly)
        let vm = try #require(graph.all(VirtualMachine.self).first)
        #expect(vm.usesSSHKeysOnly && vm.sshPublicKeys?.first?.keyData?.hasPrefix("ssh-ed25519") == true)
        let arm = Self.files(graph, .arm)
        #expect(arm.contains(#""disablePasswordAuthentication": true"#))
        #expect(arm.contains(#""keyData": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyOne ops""#))
        #expect(!arm.contains("adminPassword"))
    }

    @Test func sshOnlyLinuxVMStaysSSHOnlyInBicep() throws {
        let bicep = Self.files(try Self.graph(Self.sshOnly), .bicep)
        #expect(bicep.contains("disablePasswordAuthentication: true"))
        #expect(bicep.contains("keyData: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyOne ops'"))
        #expect(!bicep.contains("adminPassword"))
    }

    @Test func sshOnlyLinuxVMStaysSSHOnlyInTerraform() throws {
        let terraform = Self.files(try Self.graph(Self.sshOnly), .terraform)
        #expect(terraform.contains("disable_password_authentication = true"))
        #expect(terraform.contains("admin_ssh_key {"))
        #expect(terraform.contains(#"public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyOne ops""#))
        #expect(!terraform.contains("admin_password"))
    }

    @Test func keyOnlyKnownAtDeploymentBecomesAParameter() throws {
        let vm = Self.vm("linux", osProfile: #"{"computerName": "linux", "adminUsername": "ops", "linuxConfiguration": {"disablePasswordAuthentication": true, "ssh": {"publicKeys": [{"path": "/home/ops/.ssh/authorized_keys", "keyData": "[reference('other').key]"}]}}}"#)
        let graph = try Self.graph(vm)
        #expect(Self.files(graph, .arm).contains("[parameters('sshPublicKeyLinux')]"))
        #expect(Self.files(graph, .terraform).contains("variable \"linux_ssh_public_key\""))
    }

    @Test func sharedSecureParameterIsDeclaredOnceInTerraform() throws {
        let windows = (1...2).map { Self.vm("w\($0)", osProfile: #"{"computerName": "w\#($0)", "adminUsername": "ops", "adminPassword": "[parameters('pw')]"}"#) }
        let graph = try Self.graph(windows.joined(separator: ","), parameters: #"{"pw": {"type": "securestring"}}"#)
        let terraform = Self.files(graph, .terraform)
        #expect(terraform.components(separatedBy: "variable \"pw\"").count == 2)
        #expect(terraform.components(separatedBy: "admin_password").count == 3)
    }

    @Test func passwordVMsStillGetTheirPassword() throws {
        let vm = Self.vm("pw", osProfile: #"{"computerName": "pw", "adminUsername": "ops", "adminPassword": "[parameters('pw')]", "linuxConfiguration": {"disablePasswordAuthentication": false}}"#)
        let graph = try Self.graph(vm, parameters: #"{"pw": {"type": "securestring"}}"#)
        #expect(Self.files(graph, .terraform).contains("disable_password_authentication = false"))
        #expect(Self.files(graph, .arm).contains(#""disablePasswordAuthentication": false"#))
    }
}
