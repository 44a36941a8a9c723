import Foundation
import PalisadeModel

/// Reads template, parameter and export files into located JSON, turning every problem into a diagnostic.
public enum ARMLoader {
    /// Azure's documented template size limit (4 MB); larger templates still expand, with a warning.
    public static let azureTemplateSizeLimit = 4 * 1024 * 1024

    /// Parses JSON text; a syntax error becomes a `file:line:column` diagnostic.
    public static func parse(bytes: [UInt8], file: String, maxBytes: Int = 64 * 1024 * 1024) -> (JSONNode?, Diagnostics) {
        var parser = JSONParser(maxDepth: 256, maxBytes: maxBytes)
        do {
            return (try parser.parse(bytes: bytes), Diagnostics())
        } catch {
            return (nil, Diagnostics([Diagnostic(.error, code: "arm.json", "malformed JSON: \(error.message)",
                                                 fix: "fix the JSON syntax at this position",
                                                 at: SourceLocation(file: file, line: error.line, column: error.column))]))
        }
    }

    nonisolated(unsafe) private static var standardInput: Result<[UInt8], InputReadError>?
    private static let standardInputLock = NSLock()

    /// Standard input, read once (`-` as a file name); later calls return the same bytes.
    public static func readStandardInput() -> Result<[UInt8], InputReadError> {
        standardInputLock.lock()
        defer { standardInputLock.unlock() }
        if let standardInput { return standardInput }
        let read = InputFile.read(fd: 0, limit: 64 * 1024 * 1024, name: "standard input")
        standardInput = read
        return read
    }

    /// Reads and parses a file (`-` is standard input); an unreadable file is an error in words.
    public static func load(file: String) -> (JSONNode?, Diagnostics) {
        let read = file == "-" ? readStandardInput() : InputFile.read(path: file, limit: 64 * 1024 * 1024)
        let data: [UInt8]
        switch read {
        case .success(let bytes): data = bytes
        case .failure(let error):
            return (nil, Diagnostics([Diagnostic(.error, code: "arm.io", "cannot read '\(file)': \(error.reason)", fix: error.fix,
                                                 at: SourceLocation(file: file))]))
        }
        var (node, diagnostics) = parse(bytes: data, file: file)
        if data.count > azureTemplateSizeLimit {
            diagnostics.append(Diagnostic(.warning, code: "arm.size-limit",
                                          "the file is \(data.count) bytes; Azure rejects templates over 4 MB",
                                          at: SourceLocation(file: file)))
        }
        return (node, diagnostics)
    }

    /// Reads a deploymentParameters document (`{"parameters": {name: {value}|{reference}}}`), or a plain
    /// `{name: value}` object. Key Vault references become opaque secrets.
    public static func parameters(from node: JSONNode, file: String) -> ([String: ARMValue], Diagnostics) {
        var diagnostics = Diagnostics()
        var values: [String: ARMValue] = [:]
        guard let members = (node["parameters"] ?? node).members else {
            diagnostics.append(Diagnostic(.error, code: "arm.parameter-file", "a parameter file must be a JSON object with a 'parameters' object",
                                          at: SourceLocation(file: file, line: node.line, column: node.column)))
            return (values, diagnostics)
        }
        let wrapped = node["parameters"] != nil
        for m in members {
            guard wrapped else { values[m.key] = m.value.value; continue }
            if let v = m.value["value"] {
                values[m.key] = v.value
            } else if let ref = m.value["reference"] {
                let vault = ref["keyVault"]?["id"]?.stringValue ?? ""
                let secret = ref["secretName"]?.stringValue ?? ""
                values[m.key] = .secret(.keyVaultSecret(vault: ResourceID(vault), name: secret))
            } else {
                diagnostics.append(Diagnostic(.error, code: "arm.parameter-file",
                                              "parameter '\(m.key)' has neither 'value' nor 'reference'",
                                              fix: "write {\"value\": …}",
                                              at: SourceLocation(file: file, line: m.value.line, column: m.value.column, path: "parameters.\(m.key)")))
            }
        }
        return (values, diagnostics)
    }
}

/// One-call expansion of template files, as `palisade expand` needs.
public enum ARMExpander {
    /// Splits a `--parameter name=value` argument; nil when there is no `=` or the name is empty.
    public static func parseOverride(_ argument: String) -> (name: String, value: String)? {
        guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex else { return nil }
        return (String(argument[..<eq]), String(argument[argument.index(after: eq)...]))
    }

    /// Whether a JSON file is an ARM template, deployment parameters file or resource export rather than a spec:
    /// an array or `{"value": [...]}`, or an object with `$schema` naming a deployment template, or `resources`.
    public static func looksLikeARM(_ path: String) -> Bool {
        guard path.lowercased().hasSuffix(".json") else { return false }
        let (loaded, _) = ARMLoader.load(file: path)
        guard let node = loaded else { return false }
        if ResourceExport.isExport(node) { return true }
        if let schema = node["$schema"]?.stringValue?.lowercased(), schema.contains("deploymenttemplate") { return true }
        return node["resources"] != nil
    }

    /// Loads `template`, merges parameter files (later files win) and `overrides`, and expands.
    public static func expand(template: String, parameterFiles: [String] = [], overrides: [String: String] = [:],
                              options base: EvaluationOptions = EvaluationOptions()) -> ExpandedDeployment {
        var diagnostics = Diagnostics()
        let (node, loadDiagnostics) = ARMLoader.load(file: template)
        diagnostics.append(contentsOf: loadDiagnostics)
        guard let node else { return ExpandedDeployment(resources: [], outputs: ARMObject(), diagnostics: diagnostics) }
        var options = base
        for file in parameterFiles {
            let (pnode, pd) = ARMLoader.load(file: file)
            diagnostics.append(contentsOf: pd)
            guard let pnode else { continue }
            let (values, vd) = ARMLoader.parameters(from: pnode, file: file)
            diagnostics.append(contentsOf: vd)
            options.parameters.merge(values) { _, new in new }
        }
        options.overrides.merge(overrides) { _, new in new }
        if diagnostics.hasErrors { return ExpandedDeployment(resources: [], outputs: ARMObject(), diagnostics: diagnostics) }
        var result = TemplateEvaluator.expand(node, file: template, options: options)
        result.diagnostics = Diagnostics(diagnostics.items + result.diagnostics.items)
        return result
    }
}
