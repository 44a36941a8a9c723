import Foundation
import PalisadeModel

/// How to read a configuration: variable values and the deployment context Terraform would get from Azure.
public struct TerraformOptions: Sendable {
    /// `--var name=value`, in order (later wins).
    public var variables: [(name: String, value: String)] = []
    /// `--var-file FILE`, in order.
    public var variableFiles: [String] = []
    /// Environment for `TF_VAR_name`.
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    /// Subscription the configuration is read for (Terraform takes it from the login).
    public var subscriptionID = "00000000-0000-0000-0000-000000000000"

    /// Default options.
    public init() {}
}

/// What reading a Terraform input gave: the graph, problems, and the assumptions made about values known only after apply.
public struct TerraformReadResult: Sendable {
    /// The resource graph.
    public var graph: ResourceGraph
    /// Errors and warnings with locations.
    public var diagnostics: Diagnostics
    /// One sentence per assumption, in the order made.
    public var assumptions: [String]
    /// Resource instances read (Terraform addresses), for `plan`-style listings.
    public var addresses: [String]
}

/// Reads Terraform configurations (a directory, a `.tf`/`.tf.json` file's directory) and `terraform show -json` documents.
public enum TerraformReader {
    /// Whether a path is Terraform input: a directory with `.tf` files, a `.tf`/`.tf.json` file, or a plan/state JSON.
    public static func isTerraform(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.contains { $0.hasSuffix(".tf") || $0.hasSuffix(".tf.json") }
        }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".tf") || lowered.hasSuffix(".tf.json") { return true }
        if lowered.hasSuffix(".json") { return TerraformPlanReader.looksLikePlan(path) }
        return false
    }

    /// Reads the input at `path`. Reading runs on its own thread with a large stack, so the bounded but deep recursion
    /// of long reference chains never overflows a small caller stack.
    public static func read(_ path: String, options: TerraformOptions = TerraformOptions()) -> TerraformReadResult {
        final class Box: @unchecked Sendable { var result: TerraformReadResult? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = readOnThisThread(path, options: options)
            done.signal()
        }
        thread.stackSize = 256 << 20
        thread.start()
        done.wait()
        return box.result!
    }

    private static func readOnThisThread(_ path: String, options: TerraformOptions) -> TerraformReadResult {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let lowered = path.lowercased()
        if !isDirectory.boolValue, lowered.hasSuffix(".json"), !lowered.hasSuffix(".tf.json") {
            return TerraformPlanReader.read(path, options: options)
        }
        var directory = path
        if !isDirectory.boolValue {
            directory = (path as NSString).deletingLastPathComponent
            if directory.isEmpty { directory = "." }
        }
        return readDirectory(directory, options: options)
    }

    /// Reads a root module directory.
    public static func readDirectory(_ directory: String, options: TerraformOptions) -> TerraformReadResult {
        var diagnostics = Diagnostics()
        func failed() -> TerraformReadResult {
            TerraformReadResult(graph: ResourceGraph(), diagnostics: diagnostics, assumptions: [], addresses: [])
        }
        guard let config = ModuleConfig.load(directory: directory, diagnostics: &diagnostics) else { return failed() }
        if config.resources.isEmpty, config.moduleCalls.isEmpty {
            diagnostics.append(Diagnostic(.error, code: "terraform.empty", "'\(directory)' holds no resource or module blocks",
                                          fix: "point at the root module of the configuration", at: SourceLocation(file: directory)))
            return failed()
        }
        let evaluator = Evaluator(rootDirectory: directory, options: options)
        let root = ModuleInstance(config: config, address: "", callPath: "", depth: 0)
        evaluator.root = root
        evaluator.diagnostics = diagnostics
        do {
            root.rootValues = try rootVariableValues(config, directory: directory, options: options, evaluator: evaluator)
            let instances = try evaluator.evaluateAll()
            let major = ProviderVersions.azurermMajor(directory: directory, config: config, evaluator: evaluator)
            var mapper = AzurermMapper(instances: instances, providerMajor: major, evaluator: evaluator)
            let graph = mapper.map()
            return TerraformReadResult(graph: graph, diagnostics: evaluator.diagnostics, assumptions: evaluator.assumptions,
                                       addresses: instances.filter { $0.mode == .managed }.map(\.address))
        } catch let error as EvalError {
            evaluator.diagnostics.append(Diagnostic(.error, code: error.code, error.message, fix: error.fix, at: error.position?.location))
        } catch let error as HCLSyntaxError {
            evaluator.diagnostics.append(Diagnostic(.error, code: "terraform.syntax", error.message, fix: error.fix, at: error.position.location))
        } catch {
            evaluator.diagnostics.append(Diagnostic(.error, code: "terraform.evaluate", "\(error)"))
        }
        diagnostics = evaluator.diagnostics
        return failed()
    }

    /// Root variable values by Terraform's precedence, lowest first: environment `TF_VAR_`, `terraform.tfvars`,
    /// `terraform.tfvars.json`, `*.auto.tfvars` in lexical order, then `--var-file` and `--var` as given
    /// (https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence).
    static func rootVariableValues(_ config: ModuleConfig, directory: String, options: TerraformOptions,
                                   evaluator: Evaluator) throws -> [String: HCLValue] {
        var values: [String: HCLValue] = [:]
        func isComplex(_ name: String) -> Bool {
            guard let type = config.variables[name]?.body.attribute("type")?.expression else { return false }
            return !["string", "number", "bool"].contains(type.bareWord ?? "")
        }
        func fromText(_ name: String, _ text: String, origin: String) throws -> HCLValue {
            guard isComplex(name) else { return .string(text) }
            do {
                return try TerraformFunctions.constant(try HCLParser.parseExpression(text: text, file: origin))
            } catch let error as HCLSyntaxError {
                throw EvalError("the value of variable '\(name)' from \(origin) is not valid: \(error.message)", at: nil,
                                fix: "write a list or map in HCL syntax, e.g. [\"a\", \"b\"]")
            }
        }
        for (key, text) in options.environment.sorted(by: { $0.key < $1.key }) where key.hasPrefix("TF_VAR_") {
            let name = String(key.dropFirst(7))
            if config.variables[name] != nil { values[name] = try fromText(name, text, origin: "environment variable \(key)") }
        }
        var files: [String] = []
        for name in ["terraform.tfvars", "terraform.tfvars.json"] {
            let path = ModuleConfig.join(directory, name)
            if FileManager.default.fileExists(atPath: path) { files.append(path) }
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        files += names.filter { $0.hasSuffix(".auto.tfvars") || $0.hasSuffix(".auto.tfvars.json") }.sorted().map { ModuleConfig.join(directory, $0) }
        files += options.variableFiles
        for file in files {
            for (name, value) in try readVariableFile(file, evaluator: evaluator) {
                if config.variables[name] == nil {
                    evaluator.warn("terraform.undeclared-variable", "'\(file)' sets '\(name)', which the configuration does not declare",
                                   fix: "remove it or declare variable \"\(name)\"", at: HCLPosition(file: file, line: 1, column: 1))
                    continue
                }
                values[name] = value
            }
        }
        for (name, text) in options.variables {
            guard config.variables[name] != nil else {
                throw EvalError("--var '\(name)' is not a variable of the configuration", at: nil,
                                fix: "declared variables: \(config.variables.keys.sorted().joined(separator: ", "))", code: "terraform.undeclared")
            }
            values[name] = try fromText(name, text, origin: "--var \(name)")
        }
        return values
    }

    static func readVariableFile(_ file: String, evaluator: Evaluator) throws -> [(String, HCLValue)] {
        guard let text = evaluator.fileReader(file) else {
            throw EvalError("cannot read the variables file '\(file)'", at: nil, fix: "check the path and permissions", code: "terraform.io")
        }
        if file.hasSuffix(".json") {
            let value = try TerraformFunctions.decodeJSON(text, file: file)
            return value.sortedEntries.map { ($0.key, $0.value) }
        }
        let body = try HCLParser.parseFile(text: text, file: file)
        if let block = body.blocks.first {
            throw EvalError("a variables file holds only name = value lines, found a '\(block.type)' block", at: block.position)
        }
        return try body.attributes.map { ($0.name, try TerraformFunctions.constant($0.expression)) }
    }
}

/// The azurerm major version a configuration is written for: `.terraform.lock.hcl`, else `required_providers`.
enum ProviderVersions {
    static func azurermMajor(directory: String, config: ModuleConfig, evaluator: Evaluator) -> Int {
        let lock = ModuleConfig.join(directory, ".terraform.lock.hcl")
        if let text = evaluator.fileReader(lock), let body = try? HCLParser.parseFile(text: text, file: lock) {
            for block in body.blocks("provider") where block.labels.first?.hasSuffix("hashicorp/azurerm") == true {
                if let version = block.body.attribute("version").flatMap({ ModuleConfig.literal($0.expression) }), let major = major(version) {
                    evaluator.assume("azurerm \(version) (from .terraform.lock.hcl): arguments are read with azurerm \(major).x meanings")
                    return major
                }
            }
        }
        if let constraint = config.providerVersions["azurerm"], let major = major(constraint) {
            evaluator.assume("azurerm \(constraint) (from required_providers): arguments are read with azurerm \(major).x meanings")
            return major
        }
        evaluator.assume("no azurerm version is pinned: arguments are read with azurerm 4.x meanings")
        return 4
    }

    /// The first number of a version or constraint: `=3.9.0` → 3, `~> 4.50` → 4.
    static func major(_ text: String) -> Int? {
        let digits = text.drop { !$0.isNumber }.prefix { $0.isNumber }
        return Int(digits)
    }
}
