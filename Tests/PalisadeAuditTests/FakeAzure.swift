import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request the fake server received.
struct FakeRequest: Sendable {
    var method: String
    var path: String
    var query: String
    var headers: [String: String]
    var body: Data

    /// The JSON body as an object.
    var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    /// A query parameter.
    func parameter(_ name: String) -> String? {
        URLComponents(string: "http://x/?" + query)?.queryItems?.first { $0.name == name }?.value
    }
}

/// A response the fake server sends.
struct FakeResponse: Sendable {
    var status: Int
    var headers: [String: String] = [:]
    var body: Data

    init(status: Int = 200, headers: [String: String] = [:], json: String) {
        self.status = status
        self.headers = headers
        self.body = Data(json.utf8)
    }

    init(status: Int, headers: [String: String] = [:], object: Any) {
        self.status = status
        self.headers = headers
        self.body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }
}

/// A small HTTP/1.1 server on 127.0.0.1 (one connection per request, `Connection: close`), standing in for
/// Resource Graph, ARM and the token endpoints. The handler sees every request; the server records them.
final class FakeAzure: @unchecked Sendable {
    private let listener: Int32
    let port: Int
    private let lock = NSLock()
    private var handler: @Sendable (FakeRequest) -> FakeResponse
    private var received: [FakeRequest] = []
    private let queue = DispatchQueue(label: "fake-azure", attributes: .concurrent)

    /// The base URL (`http://127.0.0.1:PORT`).
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    init(_ handler: @escaping @Sendable (FakeRequest) -> FakeResponse) throws {
        self.handler = handler
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(0).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
        let thread = Thread { [weak self] in self?.acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Every request received so far.
    var requests: [FakeRequest] { lock.withLock { received } }

    /// Replaces the handler.
    func handle(_ handler: @escaping @Sendable (FakeRequest) -> FakeResponse) { lock.withLock { self.handler = handler } }

    private var stopped = false

    /// Stops listening (once; later calls do nothing).
    func stop() {
        let first = lock.withLock { defer { stopped = true }; return !stopped }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            queue.async { self.serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        while headerEnd == nil {
            let n = read(client, &chunk, chunk.count)
            if n <= 0 { return }
            buffer += chunk[0..<n]
            if let r = find([13, 10, 13, 10], in: buffer) { headerEnd = r }
        }
        let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Array(buffer[(headerEnd! + 4)...])
        while body.count < length {
            let n = read(client, &chunk, chunk.count)
            if n <= 0 { break }
            body += chunk[0..<n]
        }
        let target = String(requestLine[1])
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        let request = FakeRequest(method: String(requestLine[0]), path: parts[0].removingPercentEncoding ?? parts[0],
                                  query: parts.count > 1 ? parts[1] : "", headers: headers, body: Data(body))
        let handler = lock.withLock { () -> @Sendable (FakeRequest) -> FakeResponse in
            received.append(request)
            return self.handler
        }
        let response = handler(request)
        var text = "HTTP/1.1 \(response.status) \(response.status == 200 ? "OK" : "Status")\r\n"
        text += "Content-Type: application/json\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n"
        for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        let bytes = Array(text.utf8) + Array(response.body)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }
}
