import Foundation
import PalisadeModel
import Testing
@testable import PalisadeTerraform

/// microsoft/privateAML read with the values of its terraform.tfvars.tmpl (test, westeurope, 10.1.0.0/22).
@Suite struct PrivateAMLTests {
    static let directory = Fixtures.path("terraform/privateaml")

    static func read() -> TerraformReadResult {
        var options = TerraformOptions()
        options.environment = [:]
        options.variableFiles = [directory + "/terraform.tfvars.tmpl"]
        return TerraformReader.read(directory, options: options)
    }

    @Test func readsCompletely() throws {
        let result = Self.read()
        for d in result.diagnostics { print(d) }
        for a in result.assumptions { print("assumed:", a) }
        for r in result.graph.resources { print(r.type, r.id, r.source?.description ?? "-") }
        #expect(!result.diagnostics.hasErrors)
    }
}

