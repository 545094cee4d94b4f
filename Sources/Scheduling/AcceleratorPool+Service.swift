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

/// Servers draining before they retire: a cordoned server takes no new job (its free capacity
/// is booked by the drain, and what its jobs give back stays booked), while the jobs on it run
/// on; once empty it can be taken out of service.
extension AcceleratorPool {
    /// Whether server `s` is draining.
    public func isCordoned(server s: Int) -> Bool { storage.cordonedServers > 0 && storage.serverCordoned[s] }

    /// Whether draining server `s` holds no job any more.
    public func isDrained(server s: Int) -> Bool {
        let first = Int(storage.serverFirstDevice[s]), n = Int(storage.serverDevices[s])
        return (first..<first + n).allSatisfy { storage.deviceUsed[$0] == storage.cordonMilli[$0] }
    }

    /// Starts draining server `s` (in service, not already draining).
    public mutating func cordon(server s: Int) {
        makeUnique()
        precondition(!storage.serverDown[s] && !isCordoned(server: s), "server \(s) is down or draining")
        if storage.serverCordoned.isEmpty {
            storage.serverCordoned = Array(repeating: false, count: servers)
            storage.cordonMilli = Array(repeating: 0, count: capacity)
        }
        let cap = sharing.deviceCapacityMilli, first = Int(storage.serverFirstDevice[s]), n = Int(storage.serverDevices[s])
        for d in first..<first + n {
            let room = cap - storage.deviceUsed[d]
            guard room > 0 else { continue }
            book(Int32(d), room)
            storage.cordonMilli[d] = room
            if room == cap { storage.cordonIdleDevices += 1 }
        }
        storage.serverCordoned[s] = true
        storage.cordonedServers += 1
        if isDrained(server: s) { storage.drained.append(Int32(s)) }
    }

    /// A job on draining device `d` gave back `milli`: the drain keeps it booked.
    mutating func keepCordoned(_ d: Int32, _ milli: Int32) {
        let i = Int(d)
        storage.cordonMilli[i] += milli
        if storage.cordonMilli[i] == sharing.deviceCapacityMilli {
            storage.cordonIdleDevices += 1
            let s = Int(storage.deviceServer[i])
            if isDrained(server: s) { storage.drained.append(Int32(s)) }
        }
    }

    /// Draining servers that emptied since the last call, in the order they emptied.
    public mutating func takeDrained() -> [Int32] {
        guard !storage.drained.isEmpty else { return [] }
        makeUnique()
        defer { storage.drained.removeAll() }
        return storage.drained
    }

    /// Ends the drain of server `s`: what the drain booked is free again (the caller takes the
    /// server out of service next).
    public mutating func uncordon(server s: Int) {
        makeUnique()
        precondition(isCordoned(server: s), "server \(s) is not draining")
        let cap = sharing.deviceCapacityMilli, first = Int(storage.serverFirstDevice[s]), n = Int(storage.serverDevices[s])
        for d in first..<first + n where storage.cordonMilli[d] > 0 {
            if storage.cordonMilli[d] == cap { storage.cordonIdleDevices -= 1 }
            book(Int32(d), -storage.cordonMilli[d])
            storage.cordonMilli[d] = 0
        }
        storage.serverCordoned[s] = false
        storage.cordonedServers -= 1
    }
}
