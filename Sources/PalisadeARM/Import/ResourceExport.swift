import PalisadeModel

/// Resource exports: `[...]` (az resource list, Resource Graph) and `{"value": [...]}` (REST list APIs).
/// `az group export` output is an ordinary template and goes through the evaluator instead.
public enum ResourceExport {
    /// Whether a document is a resource list rather than a template.
    public static func isExport(_ node: JSONNode) -> Bool {
        if node.elements != nil { return true }
        guard node.members != nil else { return false }
        return node["value"]?.elements != nil && node["resources"] == nil && node["$schema"] == nil
    }

    /// Reads the listed resources; entries without a type or ID are reported and skipped.
    public static func resources(from node: JSONNode, file: String, deployment: DeploymentContext = DeploymentContext())
        -> ([RawResource], Diagnostics) {
        var diagnostics = Diagnostics()
        let items = node.elements ?? node["value"]?.elements ?? []
        let prefix = node.elements != nil ? "" : "value"
        var out: [RawResource] = []
        for (i, item) in items.enumerated() {
            let path = "\(prefix)[\(i)]"
            let location = SourceLocation(file: file, line: item.line, column: item.column, path: path)
            guard item.members != nil, let type = item["type"]?.stringValue else {
                diagnostics.append(Diagnostic(.warning, code: "arm.export-entry", "entry \(path) has no 'type'; it is skipped",
                                              fix: "export with 'az resource list' or the REST list API, which include types",
                                              at: location))
                continue
            }
            let body = item.value
            let name = item["name"]?.stringValue ?? ""
            var id = item["id"]?.stringValue ?? ""
            if id.isEmpty {
                let scope = TemplateScope(template: JSONNode(.object(ARMObject())), file: file, deployment: deployment,
                                          options: EvaluationOptions(), sink: DiagnosticSink(), depth: 0, path: [])
                id = scope.resourceID(type: type, name: name, scope: nil)
            }
            let fullName = ResourceID(id).name == name ? name : name
            out.append(RawResource(type: ResourceID(id).resourceType?.rawValue ?? type, name: fullName, id: id, body: body, source: location))
        }
        return (out, diagnostics)
    }
}
