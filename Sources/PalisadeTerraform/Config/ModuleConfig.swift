import Foundation
import PalisadeModel

/// A resource or data block of a module.
struct ResourceConfig: Sendable {
    /// `managed` resources or `data` sources.
    enum Mode: Sendable { case managed, data }
    var mode: Mode
    var type: String
    var name: String
    var block: HCLBlock

    /// `type.name` or `data.type.name`.
    var localAddress: String { mode == .data ? "data.\(type).\(name)" : "\(type).\(name)" }
}

/// The parsed files of one module directory (https://developer.hashicorp.com/terraform/language/modules).
final class ModuleConfig: @unchecked Sendable {
    let directory: String
    var variables: [String: HCLBlock] = [:]
    var locals: [String: HCLAttribute] = [:]
    var resources: [ResourceConfig] = []
    var resourceIndex: [String: Int] = [:]
    var moduleCalls: [String: HCLBlock] = [:]
    var moduleOrder: [String] = []
    var outputs: [String: HCLBlock] = [:]
    /// Version constraints from `required_providers`, by local provider name.
    var providerVersions: [String: String] = [:]

    init(directory: String) { self.directory = directory }

    /// Reads every `.tf` and `.tf.json` file of a directory, in lexical order as Terraform does.
    static func load(directory: String, diagnostics: inout Diagnostics) -> ModuleConfig? {
        let config = ModuleConfig(directory: directory)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            diagnostics.append(Diagnostic(.error, code: "terraform.io", "cannot read the directory '\(directory)'",
                                          fix: "check the path and permissions", at: SourceLocation(file: directory)))
            return nil
        }
        let files = names.filter { $0.hasSuffix(".tf") || $0.hasSuffix(".tf.json") }
        for name in files where name == "override.tf" || name.hasSuffix("_override.tf") || name == "override.tf.json" || name.hasSuffix("_override.tf.json") {
            diagnostics.append(Diagnostic(.warning, code: "terraform.override-file",
                                          "override file '\(name)' is not merged; its settings are ignored",
                                          fix: "fold the overrides into the main files", at: SourceLocation(file: join(directory, name))))
        }
        var ok = true
        for name in files where !(name == "override.tf" || name.hasSuffix("_override.tf") || name.hasSuffix("override.tf.json")) {
            let path = join(directory, name)
            guard let data = FileManager.default.contents(atPath: path) else {
                diagnostics.append(Diagnostic(.error, code: "terraform.io", "cannot read '\(path)'", fix: "check the file's permissions",
                                              at: SourceLocation(file: path)))
                ok = false
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                diagnostics.append(Diagnostic(.error, code: "terraform.encoding", "'\(path)' is not UTF-8 text", fix: "save the file as UTF-8",
                                              at: SourceLocation(file: path)))
                ok = false
                continue
            }
            do {
                let body = name.hasSuffix(".json") ? try TerraformJSON.body(text: text, file: path) : try HCLParser.parseFile(text: text, file: path)
                config.add(body, diagnostics: &diagnostics)
            } catch {
                diagnostics.append(Diagnostic(.error, code: "terraform.syntax", error.message,
                                              fix: error.fix ?? "correct the syntax at this position", at: error.position.location))
                ok = false
            }
        }
        return ok ? config : nil
    }

    /// `directory/name` with `.` and `dir/..` segments removed, so locations read `privateaml/acr/acr.tf`.
    static func join(_ directory: String, _ name: String) -> String {
        let joined = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: false) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != "..", !last.isEmpty {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        let result = parts.joined(separator: "/")
        return result.isEmpty ? "." : result
    }

    private func add(_ body: HCLBody, diagnostics: inout Diagnostics) {
        func duplicate(_ what: String, _ block: HCLBlock) {
            diagnostics.append(Diagnostic(.error, code: "terraform.duplicate", "\(what) is declared twice",
                                          fix: "rename or remove one of them", at: block.position.location))
        }
        for block in body.blocks {
            switch block.type {
            case "variable" where block.labels.count == 1:
                if variables[block.labels[0]] != nil { duplicate("variable '\(block.labels[0])'", block) }
                variables[block.labels[0]] = block
            case "locals":
                for attribute in block.body.attributes {
                    if locals[attribute.name] != nil {
                        diagnostics.append(Diagnostic(.error, code: "terraform.duplicate", "local value '\(attribute.name)' is declared twice",
                                                      fix: "rename or remove one of them", at: attribute.position.location))
                    }
                    locals[attribute.name] = attribute
                }
            case "resource" where block.labels.count == 2, "data" where block.labels.count == 2:
                let resource = ResourceConfig(mode: block.type == "data" ? .data : .managed, type: block.labels[0], name: block.labels[1], block: block)
                if resourceIndex[resource.localAddress] != nil { duplicate(resource.localAddress, block) }
                resourceIndex[resource.localAddress] = resources.count
                resources.append(resource)
            case "module" where block.labels.count == 1:
                if moduleCalls[block.labels[0]] != nil { duplicate("module '\(block.labels[0])'", block) }
                moduleCalls[block.labels[0]] = block
                moduleOrder.append(block.labels[0])
            case "output" where block.labels.count == 1:
                outputs[block.labels[0]] = block
            case "terraform":
                for required in block.body.blocks("required_providers") {
                    for attribute in required.body.attributes {
                        if case .object(let items) = attribute.expression.kind {
                            for item in items where item.key.bareWord == "version" || Self.literal(item.key) == "version" {
                                if let text = Self.literal(item.value) { providerVersions[attribute.name] = text }
                            }
                        } else if let text = Self.literal(attribute.expression) {
                            providerVersions[attribute.name] = text
                        }
                    }
                }
            case "resource", "data", "variable", "module", "output":
                diagnostics.append(Diagnostic(.error, code: "terraform.block-labels", "'\(block.type)' block has \(block.labels.count) labels",
                                              fix: block.type == "resource" || block.type == "data" ? "write \(block.type) \"type\" \"name\" { … }" : "write \(block.type) \"name\" { … }",
                                              at: block.position.location))
            default:
                break
            }
        }
    }

    /// The text of a literal string expression.
    static func literal(_ expression: HCLExpression) -> String? {
        if case .template(let parts) = expression.kind { return HCLParser.literalText(parts) }
        if case .literal(let value) = expression.kind { return value.stringValue }
        return nil
    }
}

/// Reads `.tf.json` files (https://developer.hashicorp.com/terraform/language/syntax/json): the document is parsed as an
/// HCL expression (JSON is a subset of HCL expression syntax, so every node keeps its line), then objects become blocks.
enum TerraformJSON {
    /// Keys whose object values are arguments, not nested blocks.
    static let objectArguments: Set<String> = [
        "tags", "default", "value", "for_each", "body", "headers", "parameters", "inputs", "providers", "metadata",
        "settings", "protected_settings", "app_settings", "locals", "count", "depends_on", "variables", "environment",
    ]

    static func body(text: String, file: String) throws(HCLSyntaxError) -> HCLBody {
        let document = try HCLParser.parseExpression(text: text, file: file)
        guard case .object(let items) = document.kind else {
            throw HCLSyntaxError(message: "a .tf.json file must hold one JSON object", position: document.position)
        }
        var body = HCLBody()
        for item in items {
            guard let key = ModuleConfig.literal(item.key) else { continue }
            let labelDepth: Int = switch key {
            case "resource", "data": 2
            case "variable", "module", "output", "provider": 1
            default: 0
            }
            if key == "locals" {
                var locals = HCLBlock(type: "locals", labels: [], body: HCLBody(), position: item.key.position)
                for element in elements(item.value) {
                    if case .object(let members) = element.kind {
                        for member in members {
                            guard let name = ModuleConfig.literal(member.key) else { continue }
                            locals.body.attributes.append(HCLAttribute(name: name, expression: member.value, position: member.key.position))
                        }
                    }
                }
                body.blocks.append(locals)
                continue
            }
            body.blocks += blocks(type: key, labels: [], value: item.value, depth: labelDepth)
        }
        return body
    }

    private static func elements(_ expression: HCLExpression) -> [HCLExpression] {
        if case .tuple(let items) = expression.kind { return items }
        return [expression]
    }

    private static func blocks(type: String, labels: [String], value: HCLExpression, depth: Int) -> [HCLBlock] {
        if depth > 0 {
            guard case .object(let items) = value.kind else { return [] }
            return items.flatMap { item -> [HCLBlock] in
                guard let label = ModuleConfig.literal(item.key) else { return [] }
                return blocks(type: type, labels: labels + [label], value: item.value, depth: depth - 1)
            }
        }
        return elements(value).compactMap { element -> HCLBlock? in
            guard case .object(let members) = element.kind else { return nil }
            return HCLBlock(type: type, labels: labels, body: blockBody(members), position: element.position)
        }
    }

    private static func blockBody(_ members: [HCLObjectItem]) -> HCLBody {
        var body = HCLBody()
        for member in members {
            guard let name = ModuleConfig.literal(member.key) else { continue }
            if name == "//" { continue }
            let isBlockValue: Bool = {
                if objectArguments.contains(name) { return false }
                switch member.value.kind {
                case .object: return true
                case .tuple(let items): return !items.isEmpty && items.allSatisfy { if case .object = $0.kind { true } else { false } }
                default: return false
                }
            }()
            if isBlockValue, name == "dynamic" || name == "lifecycle" || name != "" {
                if name == "dynamic", case .object(let dynamics) = member.value.kind {
                    for dynamic in dynamics {
                        guard let label = ModuleConfig.literal(dynamic.key) else { continue }
                        body.blocks += blocks(type: "dynamic", labels: [label], value: dynamic.value, depth: 0)
                    }
                    continue
                }
                body.blocks += blocks(type: name, labels: [], value: member.value, depth: 0)
            } else {
                body.attributes.append(HCLAttribute(name: name, expression: member.value, position: member.key.position))
            }
        }
        return body
    }
}
