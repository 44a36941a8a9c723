import Foundation
import PalisadeARM
import PalisadeModel

/// Lines of file number `n` of a compilation are numbered from `n * lineStride + 1`.
let lineStride = 1_000_000

/// Adds `base` to every line of a JSON tree (a compiled module read from a `.json` file).
func offsetLines(_ n: JSONNode, by base: Int) -> JSONNode {
    var out = n
    if out.line > 0 { out.line += base }
    switch n.kind {
    case .array(let items): out.kind = .array(items.map { offsetLines($0, by: base) })
    case .object(let members): out.kind = .object(members.map { JB.member($0.key, offsetLines($0.value, by: base)) })
    default: break
    }
    return out
}

/// A diagnostic for an error in a file, with the file's own line number.
func diagnostic(_ e: BicepFileError) -> Diagnostic {
    Diagnostic(.error, code: "bicep.compile", e.error.message, fix: "fix the Bicep source at this position",
               at: SourceLocation(file: e.file, line: e.error.position.line % lineStride, column: e.error.position.column))
}

/// Shared state of one compilation: parsed and compiled files, the module stack (cycle check), diagnostics.
final class CompilationSession {
    /// Files by number (see `lineStride`); the root file is number 0.
    var files: [String] = []

    /// The number of a file, assigned on first use.
    func fileNumber(_ path: String) -> Int {
        if let i = files.firstIndex(of: path) { return i }
        files.append(path)
        return files.count - 1
    }

    let options: BicepOptions
    var diagnostics: [Diagnostic] = []
    var stack: [String] = []
    var compilers: [String: FileCompiler] = [:]
    var templates: [String: JSONNode] = [:]
    var jsonFiles: [String: JSONNode] = [:]
    /// Module templates read from JSON, with their lines numbered for their file.
    var locatedJSON: [String: JSONNode] = [:]
    /// Bytes of Bicep and JSON read, against `options.maxTotalBytes`.
    var bytesRead = 0

    init(options: BicepOptions) { self.options = options }

    func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        bytesRead += data.count
        guard bytesRead <= options.maxTotalBytes else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses and declares a Bicep file (cached).
    func compiler(for path: String) throws(BicepFileError) -> FileCompiler {
        let key = (path as NSString).standardizingPath
        if let c = compilers[key] { return c }
        guard let text = read(key) else {
            throw BicepFileError(file: key, error: BicepError(message: "cannot read '\(key)'", position: BicepPosition(line: 1, column: 1)))
        }
        let parsed: BicepFile
        let base = fileNumber(key) * lineStride
        do { parsed = try Parser.parse(text, path: key, lineBase: base) } catch { throw BicepFileError(file: key, error: error) }
        let c = FileCompiler(session: self, path: key, file: parsed)
        compilers[key] = c
        stack.append(key)
        defer { stack.removeLast() }
        do { try c.declare() } catch { throw BicepFileError(file: key, error: error) }
        return c
    }

    /// Compiles a Bicep file to its template (cached; cycles are errors).
    func template(for path: String) throws(BicepFileError) -> JSONNode {
        let key = (path as NSString).standardizingPath
        if let t = templates[key] { return t }
        if stack.contains(key) {
            throw BicepFileError(file: key, error: BicepError(message: "modules refer to each other in a cycle: \((stack + [key]).map { ($0 as NSString).lastPathComponent }.joined(separator: " → "))", position: BicepPosition(line: 1, column: 1)))
        }
        guard stack.count < options.maxModuleDepth else {
            throw BicepFileError(file: key, error: BicepError(message: "modules are nested more than \(options.maxModuleDepth) levels deep", position: BicepPosition(line: 1, column: 1)))
        }
        let c = try compiler(for: key)
        stack.append(key)
        defer { stack.removeLast() }
        let t: JSONNode
        do { t = try c.template() } catch { throw BicepFileError(file: key, error: error) }
        templates[key] = t
        return t
    }

    func json(_ path: String) -> JSONNode? {
        if let j = jsonFiles[path] { return j }
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        bytesRead += data.count
        var parser = JSONParser()
        guard let node = try? parser.parse(bytes: [UInt8](data)) else { return nil }
        jsonFiles[path] = node
        return node
    }

    /// The template of a module reference: a local `.bicep`/`.json` path or a registry module. A module that cannot
    /// be found is reported (naming it) and left as a linked template the evaluator does not expand.
    func moduleTemplate(_ reference: String, from c: FileCompiler, at: BicepPosition) throws(BicepError) -> JSONNode? {
        switch resolve(reference, from: c) {
        case .bicep(let path):
            do { return try template(for: path) } catch {
                // Errors inside the module carry the module's own file; keep them as they are.
                if pendingFileError == nil { pendingFileError = error }
                throw BicepError(message: "the module '\(reference)' has errors", position: at)
            }
        case .json(let path):
            guard let node = json(path) else { throw BicepError(message: "the module '\(reference)' ('\(path)') is not valid JSON", position: at) }
            if let located = locatedJSON[path] { return located }
            let located = offsetLines(node, by: fileNumber(path) * lineStride)
            locatedJSON[path] = located
            return located
        case .notRead(let why):
            diagnostics.append(Diagnostic(.warning, code: "bicep.module-not-read", "module '\(reference)' is not read: \(why); its resources are not included",
                                          fix: "run 'bicep restore', or pass --module-path DIR holding <module path>/<version>/main.json",
                                          at: SourceLocation(file: c.path, line: at.line % lineStride, column: at.column)))
            return nil
        }
    }

    var pendingFileError: BicepFileError?

    enum Resolution {
        case bicep(String)
        case json(String)
        case notRead(String)
    }

    func resolve(_ reference: String, from c: FileCompiler) -> Resolution {
        let lower = reference.lowercased()
        if lower.hasPrefix("ts:") || lower.hasPrefix("ts/") {
            return .notRead("template specs are only in Azure")
        }
        if lower.hasPrefix("br:") || lower.hasPrefix("br/") {
            return resolveRegistry(reference, from: c)
        }
        let path = reference.hasPrefix("/") ? reference : (c.directory as NSString).appendingPathComponent(reference)
        let full = (path as NSString).standardizingPath
        guard FileManager.default.fileExists(atPath: full) else { return .notRead("the file '\(full)' does not exist") }
        return full.lowercased().hasSuffix(".json") ? .json(full) : .bicep(full)
    }

    /// `br:registry/path:tag`, `br/public:path:tag` and `br/<alias>:path:tag` (aliases from bicepconfig.json):
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/modules#path-to-a-module and
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-config-modules
    func resolveRegistry(_ reference: String, from c: FileCompiler) -> Resolution {
        let config = BicepConfig.find(startingAt: c.directory)
        var registry: String
        var repository: String
        var tag: String
        let body: String
        if reference.hasPrefix("br:") {
            body = String(reference.dropFirst(3))
            guard let slash = body.firstIndex(of: "/") else { return .notRead("'\(reference)' has no registry and path") }
            registry = String(body[..<slash])
            repository = String(body[body.index(after: slash)...])
        } else {
            guard let colon = reference.firstIndex(of: ":") else { return .notRead("'\(reference)' is not br/<alias>:<path>:<tag>") }
            let alias = String(reference[reference.index(reference.startIndex, offsetBy: 3)..<colon])
            let rest = String(reference[reference.index(after: colon)...])
            guard let target = config.aliases[alias] ?? (alias == "public" ? ("mcr.microsoft.com", "bicep") : nil) else {
                return .notRead("the alias 'br/\(alias)' is not defined in bicepconfig.json")
            }
            registry = target.0
            repository = target.1.isEmpty ? rest : target.1 + "/" + rest
            body = rest
        }
        _ = body
        guard let tagColon = repository.lastIndex(of: ":") else { return .notRead("'\(reference)' has no version tag") }
        tag = String(repository[repository.index(after: tagColon)...])
        repository = String(repository[..<tagColon])
        registry = registry.lowercased()
        var candidates: [String] = []
        let shortPath = repository.hasPrefix("bicep/") ? String(repository.dropFirst(6)) : repository
        for dir in options.modulePaths {
            candidates.append("\(dir)/\(shortPath)/\(tag)/main.json")
            candidates.append("\(dir)/\(repository)/\(tag)/main.json")
        }
        let cacheRoot = options.cacheRoot ?? config.cacheRoot ?? (NSHomeDirectory() as NSString).appendingPathComponent(".bicep")
        let encoded = repository.replacingOccurrences(of: "/", with: "$")
        candidates.append("\(cacheRoot)/br/\(registry)/\(encoded)/\(tag)$/main.json")
        candidates.append("\(cacheRoot)/br/\(registry)/\(encoded)/\(tag)/main.json")
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            return .json((path as NSString).standardizingPath)
        }
        return .notRead("it is neither in the module cache (\(cacheRoot)/br) nor under --module-path")
    }
}

/// An error in a particular file.
struct BicepFileError: Error {
    var file: String
    var error: BicepError
}

/// The parts of `bicepconfig.json` this reader honours: module aliases and the cache directory.
/// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-config
struct BicepConfig {
    var aliases: [String: (String, String)] = [:]
    var cacheRoot: String?

    /// The nearest bicepconfig.json at or above `directory`.
    static func find(startingAt directory: String) -> BicepConfig {
        var dir = (directory as NSString).standardizingPath
        var hops = 0
        while hops < 64 {
            let candidate = (dir as NSString).appendingPathComponent("bicepconfig.json")
            if let data = FileManager.default.contents(atPath: candidate) {
                var parser = JSONParser()
                if let node = try? parser.parse(bytes: [UInt8](data)) { return BicepConfig(node, directory: dir) }
                return BicepConfig()
            }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir || parent.isEmpty { break }
            dir = parent
            hops += 1
        }
        return BicepConfig()
    }

    init() {}

    init(_ node: JSONNode, directory: String) {
        for m in node["moduleAliases"]?["br"]?.members ?? [] {
            let registry = m.value["registry"]?.stringValue ?? ""
            let path = m.value["modulePath"]?.stringValue ?? ""
            aliases[m.key] = (registry, path)
        }
        if let root = node["cacheRootDirectory"]?.stringValue {
            let expanded = root.hasPrefix("~") ? NSHomeDirectory() + root.dropFirst() : root
            cacheRoot = expanded.hasPrefix("/") ? expanded : (directory as NSString).appendingPathComponent(expanded)
        }
    }
}
