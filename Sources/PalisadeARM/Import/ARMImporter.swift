import Foundation
import PalisadeModel

/// Options for converting ARM resources into the resource graph.
public struct ImportOptions: Sendable {
    /// Evaluation options used when the input is a template.
    public var evaluation = EvaluationOptions()
    /// Parameter files (deploymentParameters format) applied in order.
    public var parameterFiles: [String] = []
    /// `name=value` overrides.
    public var overrides: [String: String] = [:]

    /// Default options.
    public init() {}
}

/// Converts ARM templates, expanded deployments and resource exports into a `ResourceGraph`.
public enum ARMImporter {
    /// Imports a file: a template (expanded first), an `az group export` template, a `[...]` resource list or a
    /// `{"value": [...]}` REST list.
    public static func importFile(_ path: String, options: ImportOptions = ImportOptions()) -> (ResourceGraph, Diagnostics) {
        let (node, loadDiagnostics) = ARMLoader.load(file: path)
        guard let node else { return (ResourceGraph(), loadDiagnostics) }
        if ResourceExport.isExport(node) {
            let (raw, d) = ResourceExport.resources(from: node, file: path)
            let (graph, cd) = convert(raw, rejectDuplicateIDs: true)
            return (graph, Diagnostics(loadDiagnostics.items + d.items + cd.items))
        }
        let expanded = ARMExpander.expand(template: path, parameterFiles: options.parameterFiles, overrides: options.overrides,
                                          options: options.evaluation)
        let (graph, d) = importDeployment(expanded)
        return (graph, Diagnostics(d.items))
    }

    /// Converts an expanded deployment (existing resources and deployments themselves are not added).
    public static func importDeployment(_ deployment: ExpandedDeployment) -> (ResourceGraph, Diagnostics) {
        let raw = deployment.resources.filter { !$0.existing && $0.type.lowercased() != "microsoft.resources/deployments" }.map(\.raw)
        var (graph, d) = convert(raw, placeholders: deployment.placeholderStrings)
        for r in raw where !r.propertySources.isEmpty {
            let id = ResourceID(r.id)
            guard graph[id] != nil else { continue }
            for (path, location) in r.propertySources { graph.recordSource(location, of: id, property: path) }
        }
        graph.deploymentOutputs = deployment.secretOutputs.map {
            DeploymentOutput(id: ResourceID("\($0.deploymentID)/outputs/\($0.name)"), name: $0.name,
                             deployment: $0.deploymentPath.last ?? "", secretSources: $0.secretSources, isSecure: $0.isSecure,
                             source: $0.source)
        }.sorted { $0.id < $1.id }
        return (graph, Diagnostics(deployment.diagnostics.items + d.items))
    }

    /// Converts raw resources: modelled types become typed structs, child resources merge into their parents,
    /// everything else becomes an `OpaqueResource`. Values only known at deployment become warnings.
    /// With `rejectDuplicateIDs`, a resource ID listed twice is an error (exports); templates check duplicates per
    /// deployment while they are expanded, since nested deployments may legitimately redeploy a resource.
    public static func convert(_ resources: [RawResource], rejectDuplicateIDs: Bool = false,
                               placeholders: Set<String> = []) -> (ResourceGraph, Diagnostics) {
        let builder = GraphBuilder()
        builder.placeholders = placeholders
        if rejectDuplicateIDs { builder.seenIDs = [:] }
        // Parents first, so child resources (rules, routes, links, zone groups, …) find them.
        // Each type's depth is counted once (not on every comparison of the sort).
        let depths = resources.map { $0.type.split(separator: "/").count }
        let ordered = resources.indices.sorted { depths[$0] == depths[$1] ? $0 < $1 : depths[$0] < depths[$1] }.map { resources[$0] }
        for r in ordered { builder.add(r) }
        builder.deriveReadOnlyProperties()
        return (builder.graph, Diagnostics(builder.diagnostics))
    }
}
