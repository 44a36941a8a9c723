import Foundation
import PalisadeARM
import PalisadeModel
import Testing
@testable import PalisadeBicep

/// The judge: for each Azure Verified Module in the fixtures, expanding our compilation of `main.bicep` gives the
/// same resources (type, name, properties, dependencies, conditions) as expanding `main.json`, the template the Bicep
/// compiler produced, with parameter values from the module's e2e test.
@Suite struct AVMEquivalenceTests {
    static let avmRoot = Fixtures.path("bicep/avm/avm/res")
    static let registry = Fixtures.path("bicep/avm/_registry")

    /// The pass count reached with each module's defaults test; the test fails if fewer modules match (a regression).
    static let passFloor = 69
    /// The pass count reached with each module's `max` e2e test (every feature on) where it has one.
    static let maxPassFloor = 69

    static var modules: [String] {
        guard let e = FileManager.default.enumerator(atPath: avmRoot) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            let parts = rel.split(separator: "/")
            if parts.count == 3, parts[2] == "main.bicep" { out.append("\(avmRoot)/\(parts[0])/\(parts[1])") }
            if parts.count > 3 { e.skipDescendants() }
        }
        return out.sorted()
    }

    static var bicepOptions: BicepOptions {
        var o = BicepOptions()
        o.modulePaths = [registry]
        return o
    }

    /// The e2e test used for parameter values: `defaults` (or `*.defaults`) if there is one, else the first.
    static func e2eTest(_ module: String, preferring preferred: String? = nil) -> String? {
        let e2e = "\(module)/tests/e2e"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: e2e)) ?? []).sorted()
        if let preferred, names.contains(preferred) { return "\(e2e)/\(preferred)/main.test.bicep" }
        if let d = names.first(where: { $0 == "defaults" }) ?? names.first(where: { $0.hasSuffix("defaults") }) {
            return "\(e2e)/\(d)/main.test.bicep"
        }
        return names.first.map { "\(e2e)/\($0)/main.test.bicep" }
    }

    /// Parameter values the e2e test passes to the module under test (first loop instance).
    static func testParameters(_ module: String, preferring: String? = nil) -> [String: ARMValue]? {
        guard let test = e2eTest(module, preferring: preferring) else { return nil }
        let compiled = BicepCompiler.compile(file: test, options: bicepOptions)
        guard compiled.template != nil else { return nil }
        let expanded = BicepExpander.expand(compiled)
        guard let deployment = expanded.resources.first(where: { $0.symbolicName == "testDeployment" && $0.deploymentPath.isEmpty }),
              let params = deployment.body["properties"]?["parameters"]?.objectValue else { return nil }
        var values: [String: ARMValue] = [:]
        for e in params.entries { values[e.key] = e.value["value"] ?? .null }
        return values
    }

    static func expandJSON(_ path: String, _ parameters: [String: ARMValue]) -> ExpandedDeployment? {
        var parser = JSONParser()
        guard let data = FileManager.default.contents(atPath: path), let node = try? parser.parse(bytes: [UInt8](data)) else { return nil }
        var options = EvaluationOptions()
        options.parameters = parameters
        return TemplateEvaluator.expand(node, file: path, options: options)
    }

    /// Values compare as the evaluator sees them: objects unordered, numbers numerically, unknowns alike.
    static func same(_ a: ARMValue, _ b: ARMValue) -> Bool {
        switch (a, b) {
        case (.unknown, .unknown), (.secret, .secret): return true
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            let xs = x.entries.filter { !$0.key.hasPrefix("$palisade") }, ys = y.entries.filter { !$0.key.hasPrefix("$palisade") }
            return xs.count == ys.count && xs.allSatisfy { e in ys.first { $0.key.lowercased() == e.key.lowercased() }.map { same(e.value, $0.value) } ?? false }
        default: return a == b
        }
    }

    static func key(_ r: ExpandedResource) -> String {
        (r.deploymentPath + [r.id.lowercased()]).joined(separator: "|")
    }

    /// A resource's dependencies as the resource IDs they name. The compiler writes symbolic names (languageVersion
    /// 2.0) or `resourceId()` (classic templates, which it emits when a file needs no 2.0 feature) for the same
    /// dependency; classic templates also leave out `existing` resources, which are never deployed.
    static func dependencyIDs(_ r: ExpandedResource, in d: ExpandedDeployment) -> Set<String> {
        var out: Set<String> = []
        for entry in r.dependsOn {
            if entry.hasPrefix("/") { out.insert(entry.lowercased()); continue }
            let targets = d.resources.filter {
                $0.deploymentPath == r.deploymentPath && ($0.symbolicName?.lowercased() == entry.lowercased() || $0.name.lowercased() == entry.lowercased())
            }
            if targets.isEmpty { out.insert(entry.lowercased()) }
            for t in targets where !t.existing { out.insert(t.id.lowercased()) }
        }
        return out
    }

    /// Differences between the two expansions, empty when they match (`existing` resources are not deployed and
    /// classic templates omit them, so they are not compared).
    static func differences(_ ours: ExpandedDeployment, _ theirs: ExpandedDeployment) -> [String] {
        var problems: [String] = []
        let a = Dictionary(ours.resources.filter { !$0.existing }.map { (key($0), $0) }, uniquingKeysWith: { x, _ in x })
        let b = Dictionary(theirs.resources.filter { !$0.existing }.map { (key($0), $0) }, uniquingKeysWith: { x, _ in x })
        for k in Set(b.keys).subtracting(a.keys).sorted() { problems.append("missing \(k)") }
        for k in Set(a.keys).subtracting(b.keys).sorted() { problems.append("extra \(k)") }
        for k in Set(a.keys).intersection(b.keys).sorted() {
            guard let x = a[k], let y = b[k] else { continue }
            var bx = x.body.objectValue ?? ARMObject(), by = y.body.objectValue ?? ARMObject()
            bx["dependsOn"] = nil
            by["dependsOn"] = nil
            // Resource types are case-insensitive.
            bx["type"] = bx["type"]?.stringValue.map { .string($0.lowercased()) }
            by["type"] = by["type"]?.stringValue.map { .string($0.lowercased()) }
            if !same(.object(bx), .object(by)) {
                let diffKeys = Set(bx.entries.map(\.key) + by.entries.map(\.key)).sorted().filter { !same(bx[$0] ?? .null, by[$0] ?? .null) }
                var detail = ""
                if let first = diffKeys.first {
                    let left = String(describing: bx[first] ?? .null).prefix(300)
                    let right = String(describing: by[first] ?? .null).prefix(300)
                    detail = "\(left) vs \(right)"
                }
                problems.append("\(k): body differs in \(diffKeys.joined(separator: ", ")): \(detail)")
            }
            if dependencyIDs(x, in: ours) != dependencyIDs(y, in: theirs) {
                problems.append("\(k): dependsOn \(x.dependsOn.sorted()) vs \(y.dependsOn.sorted())")
            }
            if x.existing != y.existing { problems.append("\(k): existing \(x.existing) vs \(y.existing)") }
        }
        return problems
    }

    /// Compares one module; nil when it matches, else what differs.
    static func judge(_ module: String, preferring: String? = nil) -> String? {
        let name = module.replacingOccurrences(of: avmRoot + "/", with: "")
        guard let parameters = testParameters(module, preferring: preferring) else { return "\(name): its e2e test's parameters could not be read" }
        let compiled = BicepCompiler.compile(file: "\(module)/main.bicep", options: bicepOptions)
        guard compiled.template != nil else {
            return "\(name): does not compile: \(compiled.diagnostics.errors.map { "\($0.location.map { "\($0)" } ?? ""): \($0.message)" }.joined(separator: "; "))"
        }
        var options = EvaluationOptions()
        options.parameters = parameters
        let ours = BicepExpander.expand(compiled, options: options)
        guard let theirs = expandJSON("\(module)/main.json", parameters) else { return "\(name): main.json unreadable" }
        let problems = differences(ours, theirs)
        let ourErrors = ours.diagnostics.errors.map(\.message), theirErrors = theirs.diagnostics.errors.map(\.message)
        if problems.isEmpty && ourErrors.count <= theirErrors.count { return nil }
        let errors = ourErrors.count > theirErrors.count ? ["errors only in ours: " + ourErrors.filter { !theirErrors.contains($0) }.prefix(3).joined(separator: " | ")] : []
        return "\(name): " + (problems.prefix(4) + errors).joined(separator: "\n    ")
    }

    static func run(preferring: String?) -> (passed: Int, failures: [String]) {
        let all = Self.modules
        var failures: [String] = []
        for m in all {
            if let f = Self.judge(m, preferring: preferring) { failures.append(f) }
        }
        print("AVM equivalence (\(preferring ?? "defaults") e2e tests): \(all.count - failures.count) of \(all.count) modules match main.json")
        for f in failures { print("  ✗ \(f)") }
        return (all.count - failures.count, failures)
    }

    @Test func avmModulesCompileToTheSameDeployment() {
        #expect(Self.modules.count == 69, "expected the 69 fixture modules, found \(Self.modules.count)")
        let (passed, _) = Self.run(preferring: nil)
        #expect(passed >= Self.passFloor, "AVM equivalence regressed: \(passed) < \(Self.passFloor)")
    }

    @Test func avmModulesWithEveryFeatureOn() {
        let (passed, _) = Self.run(preferring: "max")
        #expect(passed >= Self.maxPassFloor, "AVM equivalence (max e2e tests) regressed: \(passed) < \(Self.maxPassFloor)")
    }
}
