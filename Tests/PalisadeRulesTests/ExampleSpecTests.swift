import Foundation
import PalisadeModel
import PalisadeRules
import PalisadeSpec
import Testing

/// The shipped example specs and the built-in default pass the catalog.
@Suite struct ExampleSpecTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    @Test func builtInDefaultHasNoWarnings() throws {
        let design = try #require(EnvironmentDesigner.design(Spec()).design)
        let findings = Checker.run(design.graph)
        #expect(!Checker.fails(findings, threshold: .warning), "\(findings.map { "\($0.ruleID): \($0.message)" })")
    }

    @Test(arguments: ["hub.yaml", "managed-vnet.yaml", "privateaml.yaml"]) func exampleHasNoErrors(_ name: String) throws {
        let (design, diagnostics) = SpecLoader().design(file: Self.examples.appendingPathComponent(name).path)
        let graph = try #require(design?.graph, "\(diagnostics.errors)")
        let findings = Checker.run(graph)
        #expect(!Checker.fails(findings, threshold: .error), "\(findings.filter { $0.severity == .error }.map(\.message))")
    }

    /// privateAML's own allow-list opens Storage.<region> and *core.windows.net; the catalog must say so.
    @Test func privateAMLAllowListIsAnExfiltrationPath() throws {
        let design = try #require(SpecLoader().design(file: Self.examples.appendingPathComponent("privateaml.yaml").path).design)
        let findings = Checker.run(design.graph).filter { $0.ruleID == "firewall_exfiltration_allowance" }
        #expect(findings.count == 1)
        #expect(findings.first?.evidence.compactMap(\.value).contains("*core.windows.net") ?? false)
    }
}
