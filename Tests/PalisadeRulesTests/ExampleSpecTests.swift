import Foundation
import PalisadeModel
import PalisadeNetwork
import PalisadeRules
import PalisadeSpec
import Testing

/// The shipped example specs and the built-in default pass the catalog, and every built-in intent is proven.
@Suite struct ExampleSpecTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")
    static let names = ["hub.yaml", "landing-zone-existing-spoke.yaml", "landing-zone-hub.yaml", "landing-zone-vwan.yaml", "managed-vnet.yaml", "managed-vnet-approved.yaml", "privateaml.yaml"]

    func design(_ name: String) throws -> Design {
        let (design, diagnostics) = SpecLoader().design(file: Self.examples.appendingPathComponent(name).path)
        return try #require(design, "\(diagnostics.errors)")
    }

    func check(_ design: Design) -> [Finding] {
        Checker.run(design.graph, intents: design.intents, declaredEgress: design.declaredEgress)
    }

    @Test func builtInDefaultHasNoWarnings() throws {
        let design = try #require(EnvironmentDesigner.design(Spec()).design)
        let findings = check(design)
        #expect(!Checker.fails(findings, threshold: .warning), "\(findings.map { "\($0.ruleID): \($0.message)" })")
    }

    @Test(arguments: names) func exampleHasNoErrors(_ name: String) throws {
        let findings = check(try design(name))
        #expect(!Checker.fails(findings, threshold: .error), "\(findings.filter { $0.severity == .error }.map(\.message))")
    }

    /// Done when: every built-in intent of the default and of every example is proven by the engine.
    @Test(arguments: ["(default)"] + names) func everyBuiltInIntentIsProven(_ name: String) throws {
        let design = name == "(default)" ? try #require(EnvironmentDesigner.design(Spec()).design) : try design(name)
        let intents = BuiltInIntents.derive(design.graph, declared: design.declaredEgress)
        #expect(!intents.isEmpty)
        let results = BuiltInIntents.prove(intents, on: NetworkModel.compile(design.graph))
        #expect(!results.isEmpty)
        for result in results where result.status != .proven {
            Issue.record("\(name): '\(result.intent.name)' \(result.status.rawValue): \(result.message)")
        }
    }

    /// Compute installs Python packages through the firewall, on every design with a customer VNet.
    @Test(arguments: ["(default)", "privateaml.yaml", "hub.yaml", "landing-zone-existing-spoke.yaml", "landing-zone-hub.yaml", "landing-zone-vwan.yaml"]) func computeReachesPyPI(_ name: String) throws {
        let design = name == "(default)" ? try #require(EnvironmentDesigner.design(Spec()).design) : try design(name)
        let model = NetworkModel.compile(design.graph)
        let compute = try #require(design.graph.all(MachineLearningCompute.self).first)
        for host in ["pypi.org", "files.pythonhosted.org", "conda.anaconda.org"] {
            let trace = try model.trace(from: compute.name, to: host, port: 443)
            #expect(trace.verdict == .allowed, "\(name): \(host): \(trace.text)")
            #expect(trace.hops.contains { $0.kind == "AzureFirewall" }, "\(name): \(host) should pass the firewall")
        }
    }

    /// The managed-network jumpbox signs in to the studio.
    @Test(arguments: ["managed-vnet.yaml", "managed-vnet-approved.yaml"]) func managedJumpboxReachesStudio(_ name: String) throws {
        let design = try design(name)
        let model = NetworkModel.compile(design.graph)
        let vm = try #require(design.graph.all(VirtualMachine.self).first)
        for host in ["login.microsoftonline.com", "ml.azure.com"] {
            let trace = try model.trace(from: vm.name, to: host, port: 443)
            #expect(trace.verdict == .allowed, "\(name): \(host): \(trace.text)")
        }
    }

    /// privateAML's own allow-list lacks the AML service tags; the profile adds them, so compute comes up.
    @Test func privateAMLExampleHasNoBlockedRequiredDestination() throws {
        let errors = check(try design("privateaml.yaml")).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.message))")
        #expect(!errors.contains { $0.ruleID == "required_destination_blocked" })
    }

    /// privateAML's own allow-list opens Storage.<region> and *core.windows.net; the catalog must say so.
    @Test func privateAMLAllowListIsAnExfiltrationPath() throws {
        let findings = check(try design("privateaml.yaml")).filter { $0.ruleID == "firewall_exfiltration_allowance" }
        #expect(findings.count == 1)
        #expect(findings.first?.evidence.compactMap(\.value).contains("*core.windows.net") ?? false)
    }

    /// The built-in intents cover what the documents require, per compute mode.
    @Test func builtInIntentsCoverEveryRequirement() throws {
        let hub = try design("hub.yaml")
        let intents = BuiltInIntents.derive(hub.graph, declared: hub.declaredEgress)
        let summary = Set(intents.map { "\($0.form.rawValue) \($0.sources.map { $0.hasPrefix("/") ? "subnet" : $0 }.joined(separator: ","))" })
        #expect(summary == [
            "must reach subnet", "may reach only subnet", "must reach all jumpboxes", "may reach only all jumpboxes",
            "must reach vpn clients", "may reach only internet",
        ])
        let targets = Set(intents.flatMap(\.destinations).map(\.endpoint))
        for needed in ["login.microsoftonline.com", "ml.azure.com", "AzureMachineLearning", "BatchNodeManagement.WestUS", "pypi.org",
                       "cloud.r-project.org", "all bastion hosts", "mlw-hub"] {
            #expect(targets.contains(needed), "\(needed)")
        }
        #expect(intents.allSatisfy { $0.citation?.hasPrefix("https://learn.microsoft.com/") ?? false })
        let managed = try design("managed-vnet.yaml")
        let managedIntents = BuiltInIntents.derive(managed.graph, declared: managed.declaredEgress)
        #expect(managedIntents.contains { $0.sources == ["managed:mlw-mvnet"] && $0.form == .mustReach })
    }
}
