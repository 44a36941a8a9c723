import Foundation
import PalisadeARM
import PalisadeBicep
import PalisadeAudit
import PalisadeModel
import PalisadeSpec
import PalisadeTerraform

/// Turns the INPUT argument into a resource graph: no input is the built-in default, `.yaml`/`.yml` is a spec,
/// and so is a JSON object that is neither a template nor an export (`SpecJSON`); anything else is read as JSON
/// (an ARM template, an `az group export` template or a resource export).
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
        if Snapshot.isSnapshot(path) {
            // `palisade audit --save` output: streamed row by row (estates outgrow the template parser's limits).
            let loaded = SnapshotReader.load(path)
            try Output.report(loaded.diagnostics)
            let location = loaded.graph.all(VirtualNetwork.self).first?.location
            return LoadedInput(graph: loaded.graph, label: path, name: nil, location: location, design: nil, diagnostics: loaded.diagnostics)
        }
        if TerraformReader.isTerraform(path) {
            let result = TerraformReader.read(path, options: try options?.terraformOptions() ?? TerraformOptions())
            try Output.report(result.diagnostics)
            // What was assumed about values Terraform only knows after apply, said once each in the command's output.
            var diagnostics = result.diagnostics
            for assumption in result.assumptions { diagnostics.append(Diagnostic(.note, code: "terraform.assumption", "assumed: \(assumption)")) }
            let graph = result.graph
            let location = graph.all(VirtualNetwork.self).first?.location ?? graph.all(MachineLearningWorkspace.self).first?.location
            return LoadedInput(graph: graph, label: path, name: nil, location: location, design: nil, diagnostics: diagnostics)
        }
        if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") || SpecJSON.isSpec(path) {
            let (design, diagnostics) = SpecLoader().design(file: path)
            try Output.report(diagnostics)
            guard let design else { throw InputError(description: "error: '\(path)' did not plan") }
            return LoadedInput(graph: design.graph, label: path, name: design.spec.name, location: design.region.name,
                               design: design, diagnostics: diagnostics)
        }
        let importOptions = try options?.importOptions() ?? ImportOptions()
        let (graph, diagnostics) = BicepExpander.isBicep(path)
            ? BicepImporter.importFile(path, options: importOptions, bicep: options?.bicepOptions() ?? BicepOptions())
            : ARMImporter.importFile(path, options: importOptions)
        try Output.report(diagnostics)
        let location = graph.all(VirtualNetwork.self).first?.location ?? graph.all(MachineLearningWorkspace.self).first?.location
        return LoadedInput(graph: graph, label: path, name: nil, location: location, design: nil, diagnostics: diagnostics)
    }
}

/// Recognises a spec written as JSON (YAML's subset), so `palisade plan spec.json` reads it as a spec.
enum SpecJSON {
    /// True for a JSON object with none of the keys that mark an ARM template (`$schema` naming a deployment
    /// template, `contentVersion`, `resources`), a resource export (`value`, or a top-level array) or a single
    /// resource (`type`).
    static func isSpec(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path), data.count <= SpecLoader.maximumBytes,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        if let schema = object["$schema"] as? String, schema.lowercased().contains("deployment") { return false }
        return object["resources"] == nil && object["contentVersion"] == nil && object["value"] == nil && object["type"] == nil
    }
}
