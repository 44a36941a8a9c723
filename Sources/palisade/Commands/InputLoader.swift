import Foundation
import PalisadeModel
import PalisadeSpec

/// Turns the INPUT argument into a resource graph: no input is the built-in default, `.yaml`/`.yml` is a spec.
struct LoadedInput {
    var graph: ResourceGraph
    var label: String
    var name: String?
    var location: String?
    var design: Design?
    var diagnostics: Diagnostics

    static func load(_ path: String?) throws -> LoadedInput {
        guard let path else {
            let (design, diagnostics) = EnvironmentDesigner.design(Spec())
            guard let design else {
                try Output.report(diagnostics)
                throw InputError(description: "internal: the built-in default did not plan")
            }
            return LoadedInput(graph: design.graph, label: "built-in default", name: design.spec.name,
                               location: design.region.name, design: design, diagnostics: diagnostics)
        }
        let (design, diagnostics) = SpecLoader().design(file: path)
        try Output.report(diagnostics)
        guard let design else { throw InputError(description: "error: '\(path)' did not plan") }
        return LoadedInput(graph: design.graph, label: path, name: design.spec.name, location: design.region.name,
                           design: design, diagnostics: diagnostics)
    }
}
