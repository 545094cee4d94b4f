import SimKernel

/// Servers in and out of service (a failed server waits for its reboot or repair): a server
/// taken down holds no job, its devices are neither free nor busy, and placement never
/// chooses them; the pool's capacity is unchanged (the server comes back).
extension AcceleratorPool {
    /// Servers in the pool, numbered in layout order.
    public var servers: Int { storage.serverDevices.count }

    /// Devices on servers out of service.
    public var downDevices: Int { storage.downDevices }

    /// Devices of server `s`.
    public func devices(onServer s: Int) -> Int { Int(storage.serverDevices[s]) }

    /// Whether server `s` is out of service.
    public func isDown(server s: Int) -> Bool { storage.serverDown[s] }

    /// The jobs holding devices (whole or shared) on server `s`, in slot order.
    public func jobs(onServer s: Int) -> [JobHandle] {
        let first = storage.serverFirstDevice[s], end = first + storage.serverDevices[s]
        var out: [JobHandle] = []
        for slot in storage.slotDevices.indices where storage.slotDevices[slot].contains(where: { $0 >= first && $0 < end }) {
            out.append(storage.slotHandle[slot])
        }
        return out
    }

    /// Takes server `s` out of service. Its jobs must have been released first.
    public mutating func takeDown(server s: Int) {
        makeUnique()
        precondition(!storage.serverDown[s], "server \(s) is already down")
        let first = Int(storage.serverFirstDevice[s]), n = Int(storage.serverDevices[s])
        precondition((first..<first + n).allSatisfy { storage.deviceUsed[$0] == 0 }, "server \(s) still holds jobs")
        for d in first..<first + n { book(Int32(d), sharing.deviceCapacityMilli) }
        storage.serverDown[s] = true
        storage.downDevices += n
    }

    /// Puts server `s` back in service.
    public mutating func bringUp(server s: Int) {
        makeUnique()
        precondition(storage.serverDown[s], "server \(s) is not down")
        let first = Int(storage.serverFirstDevice[s]), n = Int(storage.serverDevices[s])
        for d in first..<first + n { book(Int32(d), -sharing.deviceCapacityMilli) }
        storage.serverDown[s] = false
        storage.downDevices -= n
    }
}
