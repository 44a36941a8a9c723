import Foundation
import PalisadeARM
import PalisadeModel
import PalisadeNetwork
import PalisadeRules
import PalisadeSpec
import Testing

/// Declared intents on specs and ARM templates: proofs, counterexample packets and dropping hops.
@Suite struct IntentTests {
    func design(_ yaml: String) throws -> Design {
        let (design, diagnostics) = SpecLoader().design(yaml: yaml, file: "spec.yaml")
        return try #require(design, "\(diagnostics.errors)")
    }

    func intents(_ yaml: String) throws -> [IntentDeclaration] {
        let (intents, diagnostics) = SpecLoader().intents(yaml: yaml, file: "intents.yaml")
        return try #require(intents, "\(diagnostics.errors)")
    }

    @Test func violatedMustReachNamesTheDroppingHop() throws {
        let design = try design("{}")
        let declared = try intents("intents:\n  - from: all computes\n    mustReach: [example.org]\n    ports: [443]\n")
        let findings = Checker.run(design.graph, rules: [IntentViolatedRule.self], intents: declared, declaredEgress: design.declaredEgress)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.location?.file == "intents.yaml" && finding.location?.line == 2)
        #expect(finding.message.contains("example.org") && finding.message.contains("dropped at AzureFirewall"))
        #expect(finding.evidence.contains { $0.kind == .trace })
    }

    @Test func provenMustReachHasNoFinding() throws {
        let design = try design("{}")
        let declared = try intents("intents:\n  - from: all computes\n    mustReach: [pypi.org, files.pythonhosted.org]\n    ports: [443]\n")
        let results = NetworkModel.compile(design.graph).prove(declared)
        #expect(results.map(\.status) == [.proven])
        #expect(!(results.first?.traces.isEmpty ?? true))
    }

    @Test func violatedMayReachOnlyGivesACounterexamplePacket() throws {
        let design = try design("{}")
        let declared = try intents("intents:\n  - from: all computes\n    mayReachOnly: [VirtualNetwork, AzureActiveDirectory]\n")
        let result = try #require(NetworkModel.compile(design.graph).prove(declared).first)
        #expect(result.status == .violated)
        let packet = try #require(result.counterexample)
        #expect(packet.hasPrefix("tcp") || packet.hasPrefix("udp"))
        // The counterexample is real: its trace delivers it.
        #expect(result.traces.first?.verdict == .allowed, "\(result.traces.first?.text ?? "")")
    }

    @Test func nothingFromTheInternetAndOnlyReach() throws {
        let design = try design("{}")
        let declared = try intents("""
        intents:
          - nothingFromInternetReaches: [all private endpoints, all jumpboxes]
          - only: [snet-jumpbox, snet-training, snet-endpoints, AzureBastionSubnet, AzureFirewallSubnet]
            reach: [all private endpoints]
        """)
        let results = NetworkModel.compile(design.graph).prove(declared)
        #expect(results.allSatisfy { $0.status == .proven }, "\(results.map { "\($0.status): \($0.message)" })")
        // Every subnet of the VNet reaches the endpoints (VirtualNetwork is allowed in), so naming one breaks `only`.
        let strict = try intents("intents:\n  - only: [snet-jumpbox]\n    reach: [all private endpoints]\n")
        let violated = NetworkModel.compile(design.graph).prove(strict)
        #expect(violated.contains { $0.status == .violated && $0.counterexample != nil })
    }

    @Test func unknownEndpointIsReportedNotCrashed() throws {
        let design = try design("{}")
        let declared = try intents("intents:\n  - from: no-such-thing\n    mustReach: [pypi.org]\n")
        let findings = Checker.run(design.graph, rules: [IntentViolatedRule.self], intents: declared)
        #expect(findings.contains { $0.message.contains("no-such-thing") && $0.message.contains("cannot be proved") })
    }

    /// Intents work on ARM templates too: a compute subnet with no route out cannot reach PyPI.
    @Test func intentsOnAnARMTemplate() throws {
        let template = """
        {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
         "resources": [
          {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
           "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
             "subnets": [{"name": "train", "properties": {"addressPrefix": "10.0.0.0/24", "defaultOutboundAccess": false}}]}},
          {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
           "properties": {}},
          {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/gpu",
           "location": "westeurope", "dependsOn": ["[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"],
           "properties": {"computeType": "AmlCompute", "properties": {"vmSize": "Standard_DS3_v2",
             "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'train')]"}}}}
         ]}
        """
        let (node, _) = ARMLoader.parse(bytes: Array(template.utf8), file: "t.json")
        let (graph, _) = ARMImporter.importDeployment(TemplateEvaluator.expand(try #require(node), file: "t.json", options: EvaluationOptions()))
        let declared = try intents("intents:\n  - from: gpu\n    mustReach: [pypi.org]\n    ports: [443]\n")
        let findings = Checker.run(graph, rules: [IntentViolatedRule.self], intents: declared)
        let mine = findings.filter { $0.location?.file == "intents.yaml" }
        #expect(mine.count == 1)
        #expect(mine.first?.message.contains("pypi.org") ?? false)
        // The built-in intents apply to the template as well: compute cannot reach Entra ID.
        #expect(findings.contains { $0.message.contains("built-in intent") && $0.message.contains("login.microsoftonline.com") })
    }
}
