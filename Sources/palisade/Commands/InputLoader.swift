import Foundation
import PalisadeARM
import PalisadeModel
import PalisadeSpec

/// Turns the INPUT argument into a resource graph: no input is the built-in default, `.yaml`/`.yml` is a spec,
/// anything else is read as JSON (an ARM template, an `az group export` template or a resource export).
struct LoadedInput {
    var graph: ResourceGraph
    var label: String
    var name: String?
    var location: String?
    var design: Design?
    var diagnostics: Diagnostics

    static func load(_ path: String?, options: InputOptions? = nil) throws -> LoadedInput {
        guard let path else {
            let (design, diagnostics) = EnvironmentDesigner.design(Spec())
            guard let design else {
                try Output.report(diagnostics)
                throw InputError(description: "internal: the built-in default did not plan")
            }
            return LoadedInput(graph: design.graph, label: "built-in default", name: design.spec.name,
                               location: design.region.name, design: design, diagnostics: diagnostics)
        }
        Output.inputPaths += [path] + (options?.parameterFiles ?? [])
        let lowered = path.lowercased()
        // `-` reads standard input: JSON when it starts with `{` or `[`, otherwise a YAML spec.
        if path == "-", case .success(let bytes) = ARMLoader.readStandardInput(),
           let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }), first != UInt8(ascii: "{"), first != UInt8(ascii: "[") {
            let (design, diagnostics) = SpecLoader().design(data: Data(bytes), file: "<stdin>")
            try Output.report(diagnostics)
            guard let design else { throw InputError(description: "error: standard input did not plan") }
            return LoadedInput(graph: design.graph, label: "standard input", name: design.spec.name, location: design.region.name,
                               design: design, diagnostics: diagnostics)
        }
        if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") {
            let (design, diagnostics) = SpecLoader().design(file: path)
            try Output.report(diagnostics)
            guard let design else { throw InputError(description: "error: '\(path)' did not plan") }
            return LoadedInput(graph: design.graph, label: path, name: design.spec.name, location: design.region.name,
                               design: design, diagnostics: diagnostics)
        }
        let (graph, diagnostics) = ARMImporter.importFile(path, options: try options?.importOptions() ?? ImportOptions())
        try Output.report(diagnostics)
        let location = graph.all(VirtualNetwork.self).first?.location ?? graph.all(MachineLearningWorkspace.self).first?.location
        return LoadedInput(graph: graph, label: path, name: nil, location: location, design: nil, diagnostics: diagnostics)
    }
}
