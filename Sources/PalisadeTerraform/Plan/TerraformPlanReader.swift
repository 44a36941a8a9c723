import Foundation
import PalisadeModel

/// Reads `terraform show -json` output (https://developer.hashicorp.com/terraform/internals/json-format): a plan's
/// `planned_values` or a state's `values`, with the plan's `configuration` references linking values known only after
/// apply (IDs) to the resources they point at. The result is the same graph a configuration gives.
enum TerraformPlanReader {
    /// Whether a JSON file is a plan or state: `format_version` plus `planned_values` or `values`.
    static func looksLikePlan(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 1 << 20) else { return false }
        let head = String(decoding: data, as: UTF8.self)
        return head.contains("\"format_version\"") && (head.contains("\"planned_values\"") || head.contains("\"values\""))
    }

    static func read(_ path: String, options: TerraformOptions) -> TerraformReadResult {
        let evaluator = Evaluator(rootDirectory: (path as NSString).deletingLastPathComponent, options: options)
        func failed(_ message: String, fix: String, at position: HCLPosition? = nil) -> TerraformReadResult {
            evaluator.diagnostics.append(Diagnostic(.error, code: "terraform.plan", message, fix: fix,
                                                    at: position?.location ?? SourceLocation(file: path)))
            return TerraformReadResult(graph: ResourceGraph(), diagnostics: evaluator.diagnostics, assumptions: [], addresses: [])
        }
        guard let text = evaluator.fileReader(path) else { return failed("cannot read '\(path)'", fix: "check the path and permissions") }
        let document: HCLExpression
        do {
            document = try HCLParser.parseExpression(text: text, file: path, jsonStrings: true)
        } catch {
            return failed("malformed JSON: \(error.message)", fix: "write the plan with terraform show -json plan.out > plan.json", at: error.position)
        }
        guard let root = member(document, "planned_values") ?? member(document, "values"),
              let rootModule = member(root, "root_module") else {
            return failed("'\(path)' has no planned_values or values", fix: "write it with terraform show -json (a plan or a state)")
        }
        var reader = PlanWalk(evaluator: evaluator, file: path)
        do {
            try reader.collect(rootModule)
            if let configuration = member(document, "configuration") {
                if let constraint = member(configuration, "provider_config").flatMap({ member($0, "azurerm") }).flatMap({ member($0, "version_constraint") }),
                   case .literal(.string(let text)) = constraint.kind {
                    reader.major = ProviderVersions.major(text) ?? 4
                }
                if let module = member(configuration, "root_module") { try reader.links(module, prefix: "", callers: []) }
            }
        } catch let error as EvalError {
            return failed(error.message, fix: error.fix ?? "check the document", at: error.position)
        } catch {
            return failed("\(error)", fix: "check the document")
        }
        let instances = reader.resolve()
        evaluator.assume("read from a Terraform plan or state: values known only after apply are linked through the configuration's references")
        var mapper = AzurermMapper(instances: instances, providerMajor: reader.major, evaluator: evaluator)
        let graph = mapper.map()
        return TerraformReadResult(graph: graph, diagnostics: evaluator.diagnostics, assumptions: evaluator.assumptions,
                                   addresses: instances.filter { $0.mode == .managed }.map(\.address))
    }

    static func member(_ expression: HCLExpression, _ key: String) -> HCLExpression? {
        guard case .object(let items) = expression.kind else { return nil }
        return items.first { ModuleConfig.literal($0.key) == key }?.value
    }

    static func elements(_ expression: HCLExpression?) -> [HCLExpression] {
        guard let expression, case .tuple(let items) = expression.kind else { return [] }
        return items
    }
}

/// One pass over a plan document: resources with their values, then references from the configuration.
private struct PlanWalk {
    let evaluator: Evaluator
    let file: String
    var major = 4
    var instances: [ResourceInstance] = []
    /// Attribute → references, by resource address without instance keys.
    var references: [String: [String: [String]]] = [:]
    /// Module outputs (`module.net.subnet_id`) → what their expressions reference.
    var outputs: [String: [String]] = [:]

    mutating func collect(_ module: HCLExpression) throws {
        for resource in TerraformPlanReader.elements(TerraformPlanReader.member(module, "resources")) {
            let value = try TerraformFunctions.constant(resource)
            guard let address = value["address"]?.stringValue, let type = value["type"]?.stringValue else { continue }
            let mode: ResourceConfig.Mode = value["mode"]?.stringValue == "data" ? .data : .managed
            let moduleAddress = address.components(separatedBy: ".").count > 2 && address.hasPrefix("module.")
                ? String(address[..<(address.range(of: ".\(mode == .data ? "data." : "")\(type).", options: .backwards)?.lowerBound ?? address.endIndex)])
                : ""
            var positions: [String: HCLPosition] = [:]
            if let values = TerraformPlanReader.member(resource, "values") { Self.record(values, prefix: "", into: &positions, depth: 0) }
            instances.append(ResourceInstance(address: address, mode: mode, type: type, name: value["name"]?.stringValue ?? "",
                                              value: value["values"] ?? .object([:]), position: resource.position, moduleAddress: moduleAddress,
                                              positions: positions))
        }
        for child in TerraformPlanReader.elements(TerraformPlanReader.member(module, "child_modules")) { try collect(child) }
    }

    /// Where each attribute of a resource's `values` is written in the plan file, keyed as the configuration reader
    /// keys them (`security_rule[1].source_address_prefix`), so findings point at the plan's line too.
    static func record(_ expression: HCLExpression, prefix: String, into positions: inout [String: HCLPosition], depth: Int) {
        guard depth < 16 else { return }
        switch expression.kind {
        case .object(let items):
            let base = prefix.isEmpty || prefix.hasSuffix(".") ? prefix : prefix + "."
            for item in items {
                guard let key = ModuleConfig.literal(item.key) else { continue }
                positions[base + key] = item.key.position
                record(item.value, prefix: base + key, into: &positions, depth: depth + 1)
            }
        case .tuple(let items):
            for (index, item) in items.enumerated() {
                guard case .object = item.kind else { continue }
                positions["\(prefix)[\(index)]"] = item.position
                record(item, prefix: "\(prefix)[\(index)].", into: &positions, depth: depth + 1)
            }
        default:
            break
        }
    }

    /// Records configuration references per resource, with `var.x` followed to the caller's expression.
    mutating func links(_ module: HCLExpression, prefix: String, callers: [[String: [String]]]) throws {
        for resource in TerraformPlanReader.elements(TerraformPlanReader.member(module, "resources")) {
            let value = try TerraformFunctions.constant(resource)
            guard let address = value["address"]?.stringValue, let expressions = value["expressions"] else { continue }
            var map: [String: [String]] = [:]
            flatten(expressions, path: "", into: &map)
            for (key, refs) in map {
                map[key] = refs.flatMap { qualify($0, prefix: prefix, callers: callers) }
            }
            references[prefix.isEmpty ? address : "\(prefix).\(address)"] = map
        }
        guard let calls = TerraformPlanReader.member(module, "module_calls"), case .object(let items) = calls.kind else { return }
        for item in items {
            guard let name = ModuleConfig.literal(item.key), let child = TerraformPlanReader.member(item.value, "module") else { continue }
            var inputs: [String: [String]] = [:]
            if let expressions = TerraformPlanReader.member(item.value, "expressions") {
                let value = try TerraformFunctions.constant(expressions)
                for (key, entry) in value.sortedEntries {
                    inputs[key] = (entry["references"]?.listValue ?? []).compactMap(\.stringValue).flatMap { qualify($0, prefix: prefix, callers: callers) }
                }
            }
            let childPrefix = prefix.isEmpty ? "module.\(name)" : "\(prefix).module.\(name)"
            try links(child, prefix: childPrefix, callers: callers + [inputs])
            if let declared = TerraformPlanReader.member(child, "outputs") {
                for (output, entry) in try TerraformFunctions.constant(declared).sortedEntries {
                    let refs = (entry["expression"]?["references"]?.listValue ?? []).compactMap(\.stringValue)
                    outputs["\(childPrefix).\(output)"] = refs.flatMap { qualify($0, prefix: childPrefix, callers: callers + [inputs]) }
                }
            }
        }
    }

    private func qualify(_ reference: String, prefix: String, callers: [[String: [String]]]) -> [String] {
        if reference.hasPrefix("var.") {
            let name = String(reference.dropFirst(4).prefix { $0 != "." && $0 != "[" })
            return callers.last?[name] ?? []
        }
        if reference.hasPrefix("local.") || reference.hasPrefix("each.") || reference.hasPrefix("count.") || reference.hasPrefix("path.") {
            return []
        }
        return [prefix.isEmpty ? reference : "\(prefix).\(reference)"]
    }

    private func flatten(_ value: HCLValue, path: String, into map: inout [String: [String]]) {
        switch value {
        case .object(let members):
            if let refs = members["references"]?.listValue {
                map[path] = refs.compactMap(\.stringValue)
                return
            }
            for (key, member) in members { flatten(member, path: path.isEmpty ? key : "\(path).\(key)", into: &map) }
        case .list(let items):
            for (index, item) in items.enumerated() { flatten(item, path: "\(path)[\(index)]", into: &map) }
        default:
            break
        }
    }

    /// Computes IDs, then fills values known only after apply from what their references point at.
    func resolve() -> [ResourceInstance] {
        var resolved = instances
        let subscription = evaluator.options.subscriptionID
        func withIDs(_ list: inout [ResourceInstance]) {
            for index in list.indices where list[index].value["id"]?.stringValue == nil {
                if let id = AzurermCatalog.armID(type: list[index].type, list[index].value, subscription: subscription),
                   case .object(var members) = list[index].value {
                    members["id"] = .string(id)
                    list[index].value = .object(members)
                }
            }
        }
        for _ in 0..<3 {
            withIDs(&resolved)
            var byAddress: [String: HCLValue] = [:]
            for instance in resolved {
                byAddress[instance.address] = instance.value
                // References name resources without instance keys.
                if let bracket = instance.address.lastIndex(of: "["), !instance.address[bracket...].contains(".") {
                    byAddress[String(instance.address[..<bracket]), default: instance.value] = instance.value
                }
            }
            for index in resolved.indices {
                let base = Self.unkeyed(resolved[index].address)
                guard let map = references[base] else { continue }
                var value = resolved[index].value
                for (path, refs) in map.sorted(by: { $0.key < $1.key }) {
                    guard Self.isMissing(value, path), let target = Self.target(expand(refs), byAddress) else { continue }
                    value = Self.setting(value, path, target)
                }
                resolved[index].value = value
            }
        }
        withIDs(&resolved)
        return resolved
    }

    /// References with module outputs replaced by what the outputs reference (to a bounded depth).
    func expand(_ refs: [String]) -> [String] {
        var current = refs
        for _ in 0..<16 {
            var next: [String] = []
            var changed = false
            for reference in current {
                if let replaced = outputs[reference] {
                    next += replaced
                    changed = true
                } else {
                    next.append(reference)
                }
            }
            current = next
            if !changed { break }
        }
        return current
    }

    static func unkeyed(_ address: String) -> String {
        var out = ""
        var depth = 0
        for character in address {
            if character == "[" { depth += 1 } else if character == "]" { depth -= 1 } else if depth == 0 { out.append(character) }
        }
        return out
    }

    /// The value a reference list points at: the most specific reference whose resource is known.
    static func target(_ refs: [String], _ byAddress: [String: HCLValue]) -> HCLValue? {
        for reference in refs.sorted(by: { $0.count > $1.count }) {
            var parts = reference.components(separatedBy: ".")
            var attribute: [String] = []
            while !parts.isEmpty {
                if let value = byAddress[parts.joined(separator: ".")] {
                    var current: HCLValue? = value
                    for step in attribute { current = current?[step] }
                    if let current, !current.isNull { return attribute.isEmpty ? value["id"] : current }
                    break
                }
                attribute.insert(parts.removeLast(), at: 0)
            }
        }
        return nil
    }

    static func steps(_ path: String) -> [String] {
        path.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "").split(separator: ".").map(String.init)
    }

    static func isMissing(_ value: HCLValue, _ path: String) -> Bool {
        var current: HCLValue? = value
        for step in steps(path) {
            if let index = Int(step) {
                guard let items = current?.listValue, index < items.count else { return false }
                current = items[index]
            } else {
                current = current?[step]
            }
        }
        return current == nil || current == .null
    }

    static func setting(_ value: HCLValue, _ path: String, _ new: HCLValue) -> HCLValue {
        func set(_ current: HCLValue, _ steps: ArraySlice<String>) -> HCLValue {
            guard let step = steps.first else { return new }
            if let index = Int(step), case .list(var items) = current, index < items.count {
                items[index] = set(items[index], steps.dropFirst())
                return .list(items)
            }
            guard case .object(var members) = current else { return current }
            members[step] = set(members[step] ?? .null, steps.dropFirst())
            return .object(members)
        }
        return set(value, steps(path)[...])
    }
}
