import Foundation
import PalisadeModel
import Testing
@testable import PalisadeARM

/// Deployment context options and parameter files.
@Suite struct DeploymentContextTests {
    @Test func contextOptionsFlowIntoFunctions() throws {
        let text = """
        {"resources": [], "outputs": {
          "sub": {"type": "string", "value": "[subscription().subscriptionId]"},
          "rg": {"type": "object", "value": "[resourceGroup()]"},
          "dep": {"type": "string", "value": "[deployment().name]"},
          "now": {"type": "string", "value": "[utcNow()]"},
          "suffix": {"type": "string", "value": "[environment().suffixes.storage]"},
          "tenant": {"type": "string", "value": "[tenant().tenantId]"},
          "link": {"type": "string", "value": "[uri(deployment().properties.templateLink.uri, 'nested.json')]"}}}
        """
        var options = EvaluationOptions()
        options.deployment.subscriptionID = "11111111-2222-3333-4444-555555555555"
        options.deployment.resourceGroup = "rg-prod"
        options.deployment.location = "westeurope"
        options.deployment.deploymentName = "main"
        options.deployment.utcNow = "2025-03-04T05:06:07Z"
        options.deployment.tenantID = "tenant-1"
        let result = TemplateEvaluator.expand(try Fixtures.parse(text), file: "c.json", options: options)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        #expect(result.outputs["sub"] == .string("11111111-2222-3333-4444-555555555555"))
        #expect(result.outputs["rg"]?["location"] == .string("westeurope"))
        #expect(result.outputs["rg"]?["id"] == .string("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-prod"))
        #expect(result.outputs["dep"] == .string("main"))
        #expect(result.outputs["now"] == .string("20250304T050607Z"))
        #expect(result.outputs["suffix"] == .string("core.windows.net"))
        #expect(result.outputs["tenant"] == .string("tenant-1"))
        #expect(result.outputs["link"]?.isUnknown == true)
    }

    @Test func parameterFileErrorsAreLocated() throws {
        let node = try Fixtures.parse("{\"parameters\": {\"a\": {\"valu\": 1}}}")
        let (_, diagnostics) = ARMLoader.parameters(from: node, file: "p.json")
        let error = try #require(diagnostics.errors.first)
        #expect(error.location?.file == "p.json" && error.location?.line == 1 && error.location?.path == "parameters.a")
    }

    @Test func undeclaredParameterInFileIsAnError() {
        let template = #"{"parameters": {"a": {"type": "string", "defaultValue": "x"}}, "resources": []}"#
        var options = EvaluationOptions()
        options.parameters = ["b": .string("y")]
        let result = TemplateEvaluator.expand(try! Fixtures.parse(template), file: "t.json", options: options)
        #expect(result.diagnostics.errors.contains { $0.code == "arm.unknown-parameter" && $0.message.contains("'b'") })
    }

    @Test func expandedDeploymentEncodes() throws {
        let template = #"{"resources": [{"type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01", "name": "rt"}], "outputs": {"x": {"type": "int", "value": 3}}}"#
        let result = TemplateEvaluator.expand(try Fixtures.parse(template), file: "t.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(result), as: UTF8.self)
        #expect(text.contains("\"outputs\":{\"x\":3}"))
        #expect(text.contains("\"source\":\"t.json:1:"))
    }
}

/// The request/response pair the CLI's `expand` command wraps.
@Suite struct ExpandCommandTests {
    @Test func outputsOnlyForAFixture() throws {
        var request = ExpandRequest(template: Fixtures.path("arm-functions/../arm/privateaml-ampls/ampls.json"))
        request.parameterFiles = [Fixtures.path("arm/privateaml-ampls/ampls.parameters.json")]
        request.outputsOnly = true
        let response = ARMExpander.run(request)
        #expect(response.exitCode == 0, "\(response.diagnostics.errors)")
        #expect(response.output.hasPrefix("{"))
    }

    @Test func badArgumentsAndMissingFilesExitTwo() {
        var request = ExpandRequest(template: "/nonexistent/t.json")
        #expect(ARMExpander.run(request).exitCode == 2)
        request = ExpandRequest(template: Fixtures.path("arm/privateaml-ampls/ampls.json"))
        request.parameterArguments = ["novalue"]
        let response = ARMExpander.run(request)
        #expect(response.exitCode == 2)
        #expect(response.diagnostics.errors.first?.code == "arm.parameter-argument")
    }
}
