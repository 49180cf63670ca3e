// SPDX-License-Identifier: Apache-2.0
// Payment channels for inference (PAYMENT_SETTLEMENT_MODE=channel), on x402's batch-settlement scheme: the payer
// deposits once (ERC-3009 ReceiveWithAuthorization through the deposit collector) and signs a cumulative voucher per
// inference. The function names, structs, EIP-712 types and domain ("x402 Batch Settlement", "1") are the ones the
// shipped @x402/evm batch-settlement client and facilitator use, so they deposit, verify, claim, settle and refund
// against this contract unchanged; the code is our own.
// Our addition: money moves per charge only on the verifier's word. A charge is one inference: (channel, the
// cumulative amount its voucher named, its price). The channel's receiverAuthorizer (the engine's verifier) signs a
// ChargeVerdict; `claimVerified` claims batches of verified charges (many channels, one transaction), `refundCharge`
// gives a rolled-back charge back to the payer, and each charge is claimed or refunded at most once. The receiver
// (the node) holds no authorizer key, and the direct `claim` accepts only the receiverAuthorizer as sender.
pragma solidity ^0.8.24;

interface IChannelToken {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function receiveWithAuthorization(
        address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, bytes memory signature
    ) external;
}

/// @notice Turns the payer's ERC-3009 ReceiveWithAuthorization (signed to this collector) into a channel deposit.
contract ProofpathChannelDepositCollector {
    address public immutable channels;

    constructor(address channels_) {
        channels = channels_;
    }

    /// collectorData = abi.encode(uint256 validAfter, uint256 validBefore, uint256 salt, bytes signature); the ERC-3009
    /// nonce is keccak256(abi.encode(channelId, salt)), so the payer's signature names the channel it funds.
    function collect(address token, address payer, uint256 amount, bytes32 channelId, bytes calldata collectorData) external {
        require(msg.sender == channels, "only the channels contract collects");
        (uint256 validAfter, uint256 validBefore, uint256 salt, bytes memory signature) =
            abi.decode(collectorData, (uint256, uint256, uint256, bytes));
        bytes32 nonce = keccak256(abi.encode(channelId, salt));
        IChannelToken(token).receiveWithAuthorization(payer, address(this), amount, validAfter, validBefore, nonce, signature);
        require(IChannelToken(token).transfer(channels, amount), "forward to channels failed");
    }
}

contract ProofpathChannels {
    struct ChannelConfig {
        address payer;
        address payerAuthorizer;
        address receiver;
        address receiverAuthorizer;
        address token;
        uint40 withdrawDelay;
        bytes32 salt;
    }
    struct Voucher {
        ChannelConfig channel;
        uint128 maxClaimableAmount;
    }
    struct VoucherClaim {
        Voucher voucher;
        bytes signature;
        uint128 totalClaimed;
    }
    /// Our extension: one inference's charge and the verifier's signature on its verdict.
    struct ChargeVerdict {
        uint128 cumulative;
        uint128 amount;
        bytes signature;
    }
    /// Verified charges of one channel, with a payer voucher covering them.
    struct ChargeClaim {
        Voucher voucher;
        bytes voucherSignature;
        ChargeVerdict[] charges;
    }
    struct Channel {
        uint128 balance;
        uint128 totalClaimed;
    }
    struct PendingWithdrawal {
        uint128 amount;
        uint40 initiatedAt;
    }
    struct ReceiverTotals {
        uint128 totalClaimed;
        uint128 totalSettled;
    }

    bytes32 public constant CHANNEL_CONFIG_TYPEHASH = keccak256(
        "ChannelConfig(address payer,address payerAuthorizer,address receiver,address receiverAuthorizer,address token,uint40 withdrawDelay,bytes32 salt)"
    );
    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint128 maxClaimableAmount)");
    bytes32 public constant REFUND_TYPEHASH = keccak256("Refund(bytes32 channelId,uint256 nonce,uint128 amount)");
    bytes32 public constant CLAIM_ENTRY_TYPEHASH = keccak256("ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)");
    bytes32 public constant CLAIM_BATCH_TYPEHASH = keccak256(
        "ClaimBatch(ClaimEntry[] claims)ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)"
    );
    bytes32 public constant CHARGE_VERDICT_TYPEHASH = keccak256(
        "ChargeVerdict(bytes32 channelId,uint128 cumulative,uint128 amount,uint8 verdict)"
    );
    uint8 public constant VERDICT_VERIFIED = 1;
    uint8 public constant VERDICT_REFUND = 2;
    uint40 public constant MIN_WITHDRAW_DELAY = 900;
    uint40 public constant MAX_WITHDRAW_DELAY = 2592000;

    address public immutable depositCollector;

    mapping(bytes32 => Channel) public channels;
    mapping(bytes32 => PendingWithdrawal) public pendingWithdrawals;
    mapping(address => mapping(address => ReceiverTotals)) public receivers;
    mapping(bytes32 => uint256) public refundNonce;
    /// keccak256(channelId, cumulative) => 0 open, VERDICT_VERIFIED (claimed), VERDICT_REFUND (refunded).
    mapping(bytes32 => uint8) public chargeState;
    /// Per channel: the charges claimed or refunded by verdict; never more than a payer voucher covers.
    mapping(bytes32 => uint128) public chargesSettled;

    event ChannelCreated(bytes32 indexed channelId, ChannelConfig config);
    event Deposited(bytes32 indexed channelId, address indexed payer, uint128 amount, uint128 balance);
    event Claimed(bytes32 indexed channelId, address indexed receiver, uint128 totalClaimed, uint128 delta);
    event Settled(address indexed receiver, address indexed token, address indexed sender, uint128 amount);
    event Refunded(bytes32 indexed channelId, address indexed payer, uint256 nonce, uint128 amount);
    event ChargeSettled(bytes32 indexed channelId, uint128 indexed cumulative, uint8 indexed verdict, uint128 amount);
    event WithdrawInitiated(bytes32 indexed channelId, uint128 amount, uint40 initiatedAt);
    event WithdrawFinalized(bytes32 indexed channelId, uint128 amount);

    constructor(address depositCollector_) {
        depositCollector = depositCollector_;
    }

    // ---- identity and digests --------------------------------------------------------------------------------------

    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(
            keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
            keccak256("x402 Batch Settlement"), keccak256("1"), block.chainid, address(this)
        ));
    }

    function getChannelId(ChannelConfig calldata c) public view returns (bytes32) {
        return _typed(keccak256(abi.encode(
            CHANNEL_CONFIG_TYPEHASH, c.payer, c.payerAuthorizer, c.receiver, c.receiverAuthorizer, c.token, c.withdrawDelay, c.salt
        )));
    }

    function getVoucherDigest(bytes32 channelId, uint128 maxClaimableAmount) public view returns (bytes32) {
        return _typed(keccak256(abi.encode(VOUCHER_TYPEHASH, channelId, maxClaimableAmount)));
    }

    function getRefundDigest(bytes32 channelId, uint256 nonce, uint128 amount) public view returns (bytes32) {
        return _typed(keccak256(abi.encode(REFUND_TYPEHASH, channelId, nonce, amount)));
    }

    function getClaimBatchDigest(VoucherClaim[] calldata claims) public view returns (bytes32) {
        bytes32[] memory entries = new bytes32[](claims.length);
        for (uint256 i = 0; i < claims.length; i++) {
            entries[i] = keccak256(abi.encode(
                CLAIM_ENTRY_TYPEHASH, getChannelId(claims[i].voucher.channel), claims[i].voucher.maxClaimableAmount, claims[i].totalClaimed
            ));
        }
        return _typed(keccak256(abi.encode(CLAIM_BATCH_TYPEHASH, keccak256(abi.encodePacked(entries)))));
    }

    function getChargeVerdictDigest(bytes32 channelId, uint128 cumulative, uint128 amount, uint8 verdict) public view returns (bytes32) {
        return _typed(keccak256(abi.encode(CHARGE_VERDICT_TYPEHASH, channelId, cumulative, amount, verdict)));
    }

    function chargeKey(bytes32 channelId, uint128 cumulative) public pure returns (bytes32) {
        return keccak256(abi.encode(channelId, cumulative));
    }

    // ---- deposit -----------------------------------------------------------------------------------------------------

    /// Permissionless: the payer's ERC-3009 signature (in collectorData) is the consent. Only the ERC-3009 collector.
    function deposit(ChannelConfig calldata config, uint128 amount, address collector, bytes calldata collectorData) external {
        require(collector == depositCollector, "unknown deposit collector");
        require(amount > 0, "nothing to deposit");
        require(config.receiverAuthorizer != address(0), "receiverAuthorizer required");
        require(config.receiverAuthorizer != config.receiver, "the receiverAuthorizer must be a third party");
        require(config.withdrawDelay >= MIN_WITHDRAW_DELAY && config.withdrawDelay <= MAX_WITHDRAW_DELAY, "withdrawDelay out of range");
        bytes32 id = getChannelId(config);
        Channel storage ch = channels[id];
        uint256 before = IChannelToken(config.token).balanceOf(address(this));
        ProofpathChannelDepositCollector(collector).collect(config.token, config.payer, amount, id, collectorData);
        require(IChannelToken(config.token).balanceOf(address(this)) == before + amount, "collected amount mismatch");
        if (ch.balance == 0 && ch.totalClaimed == 0) emit ChannelCreated(id, config);
        ch.balance += amount;
        emit Deposited(id, config.payer, amount, ch.balance);
    }

    // ---- claims (x402 batch-settlement) ------------------------------------------------------------------------------

    /// Direct claim: only the receiverAuthorizer may send it (the node cannot claim by itself).
    function claim(VoucherClaim[] calldata claims) external {
        for (uint256 i = 0; i < claims.length; i++) {
            require(msg.sender == claims[i].voucher.channel.receiverAuthorizer, "only the receiverAuthorizer claims");
            _claimVoucher(claims[i]);
        }
    }

    /// Relayed claim: one ClaimBatch signature by the receiverAuthorizer all rows share.
    function claimWithSignature(VoucherClaim[] calldata claims, bytes calldata authorizerSignature) external {
        require(claims.length > 0, "no claims");
        address authorizer = claims[0].voucher.channel.receiverAuthorizer;
        require(_recover(getClaimBatchDigest(claims), authorizerSignature) == authorizer, "not signed by the receiverAuthorizer");
        for (uint256 i = 0; i < claims.length; i++) {
            require(claims[i].voucher.channel.receiverAuthorizer == authorizer, "mixed receiverAuthorizers");
            _claimVoucher(claims[i]);
        }
    }

    function _claimVoucher(VoucherClaim calldata c) private {
        bytes32 id = getChannelId(c.voucher.channel);
        _checkVoucher(id, c.voucher, c.signature);
        require(c.totalClaimed <= c.voucher.maxClaimableAmount, "claim exceeds the voucher");
        Channel storage ch = channels[id];
        if (c.totalClaimed <= ch.totalClaimed) return; // already claimed that far: a repeated claim moves nothing
        _addClaimed(id, ch, c.voucher.channel, c.totalClaimed - ch.totalClaimed);
    }

    /// Our extension: claims verified charges of many channels in one transaction. Each charge needs the verifier's
    /// VERDICT_VERIFIED signature and a payer voucher at or above its cumulative amount; charges already claimed are
    /// skipped (a repeated batch moves nothing twice), and so are refunded ones.
    function claimVerified(ChargeClaim[] calldata claims) external {
        for (uint256 i = 0; i < claims.length; i++) {
            ChargeClaim calldata c = claims[i];
            bytes32 id = getChannelId(c.voucher.channel);
            _checkVoucher(id, c.voucher, c.voucherSignature);
            uint128 sum = 0;
            for (uint256 j = 0; j < c.charges.length; j++) {
                ChargeVerdict calldata v = c.charges[j];
                require(v.cumulative <= c.voucher.maxClaimableAmount, "charge beyond the voucher");
                bytes32 key = chargeKey(id, v.cumulative);
                uint8 state = chargeState[key];
                if (state != 0) continue; // claimed already (a repeated batch), or refunded: never both
                _checkVerdict(id, c.voucher.channel.receiverAuthorizer, v, VERDICT_VERIFIED);
                chargeState[key] = VERDICT_VERIFIED;
                sum += v.amount;
                emit ChargeSettled(id, v.cumulative, VERDICT_VERIFIED, v.amount);
            }
            if (sum == 0) continue;
            chargesSettled[id] += sum;
            require(chargesSettled[id] <= c.voucher.maxClaimableAmount, "charges exceed the voucher");
            _addClaimed(id, channels[id], c.voucher.channel, sum);
        }
    }

    function _addClaimed(bytes32 id, Channel storage ch, ChannelConfig calldata config, uint128 delta) private {
        uint128 total = ch.totalClaimed + delta;
        require(total <= ch.balance, "claim exceeds the balance");
        ch.totalClaimed = total;
        receivers[config.receiver][config.token].totalClaimed += delta;
        emit Claimed(id, config.receiver, total, delta);
    }

    /// Permissionless: pays everything claimed and not yet paid to the receiver, in one transfer.
    function settle(address receiver, address token) external {
        ReceiverTotals storage r = receivers[receiver][token];
        uint128 amount = r.totalClaimed - r.totalSettled;
        if (amount == 0) return;
        r.totalSettled = r.totalClaimed;
        require(IChannelToken(token).transfer(receiver, amount), "transfer failed");
        emit Settled(receiver, token, msg.sender, amount);
    }

    // ---- refunds -----------------------------------------------------------------------------------------------------

    /// Our extension: gives one rolled-back charge back to the payer, on the verifier's VERDICT_REFUND signature, once.
    function refundCharge(ChannelConfig calldata config, uint128 cumulative, uint128 amount, bytes calldata signature) external {
        bytes32 id = getChannelId(config);
        bytes32 key = chargeKey(id, cumulative);
        require(chargeState[key] == 0, "charge already settled");
        _checkVerdict(id, config.receiverAuthorizer, ChargeVerdict(cumulative, amount, signature), VERDICT_REFUND);
        Channel storage ch = channels[id];
        require(amount > 0 && amount <= ch.balance - ch.totalClaimed, "charge exceeds the unclaimed balance");
        chargeState[key] = VERDICT_REFUND;
        chargesSettled[id] += amount;
        emit ChargeSettled(id, cumulative, VERDICT_REFUND, amount);
        _refund(id, config, amount);
    }

    /// Cooperative refund sent by the receiver side (x402 `refund`).
    function refund(ChannelConfig calldata config, uint128 amount) external {
        require(msg.sender == config.receiver || msg.sender == config.receiverAuthorizer, "only the receiver side refunds");
        _refund(getChannelId(config), config, amount);
    }

    /// Relayed cooperative refund (x402 `refundWithSignature`): an EIP-712 Refund by the receiverAuthorizer for the
    /// channel's current refundNonce.
    function refundWithSignature(ChannelConfig calldata config, uint128 amount, uint256 nonce, bytes calldata signature) external {
        bytes32 id = getChannelId(config);
        require(nonce == refundNonce[id], "stale refund nonce");
        require(_recover(getRefundDigest(id, nonce, amount), signature) == config.receiverAuthorizer, "not signed by the receiverAuthorizer");
        _refund(id, config, amount);
    }

    /// The nonce advances first, even when nothing moves (x402 batch-settlement: invalidates older signed refunds).
    function _refund(bytes32 id, ChannelConfig calldata config, uint128 amount) private {
        uint256 nonce = refundNonce[id]++;
        Channel storage ch = channels[id];
        uint128 available = ch.balance - ch.totalClaimed;
        uint128 actual = amount < available ? amount : available;
        if (actual == 0) return;
        ch.balance -= actual;
        PendingWithdrawal storage w = pendingWithdrawals[id];
        if (w.initiatedAt != 0) {
            if (actual >= w.amount) delete pendingWithdrawals[id];
            else w.amount -= actual;
        }
        require(IChannelToken(config.token).transfer(config.payer, actual), "transfer failed");
        emit Refunded(id, config.payer, nonce, actual);
    }

    // ---- the payer's escape hatch --------------------------------------------------------------------------------------

    function initiateWithdraw(ChannelConfig calldata config, uint128 amount) external {
        require(msg.sender == config.payer || msg.sender == config.payerAuthorizer, "only the payer withdraws");
        bytes32 id = getChannelId(config);
        Channel storage ch = channels[id];
        require(amount > 0 && amount <= ch.balance - ch.totalClaimed, "withdraw exceeds the unclaimed balance");
        pendingWithdrawals[id] = PendingWithdrawal(amount, uint40(block.timestamp));
        emit WithdrawInitiated(id, amount, uint40(block.timestamp));
    }

    function finalizeWithdraw(ChannelConfig calldata config) external {
        require(msg.sender == config.payer || msg.sender == config.payerAuthorizer, "only the payer withdraws");
        bytes32 id = getChannelId(config);
        PendingWithdrawal memory w = pendingWithdrawals[id];
        require(w.initiatedAt != 0, "no withdrawal pending");
        require(block.timestamp >= uint256(w.initiatedAt) + config.withdrawDelay, "withdraw delay not over");
        delete pendingWithdrawals[id];
        Channel storage ch = channels[id];
        uint128 available = ch.balance - ch.totalClaimed;
        uint128 actual = w.amount < available ? w.amount : available;
        ch.balance -= actual;
        if (actual > 0) require(IChannelToken(config.token).transfer(config.payer, actual), "transfer failed");
        emit WithdrawFinalized(id, actual);
    }

    /// Several calls in one transaction (the facilitator's claim + refund, our claim + settle).
    function multicall(bytes[] calldata data) external returns (bytes[] memory results) {
        results = new bytes[](data.length);
        for (uint256 i = 0; i < data.length; i++) {
            (bool ok, bytes memory result) = address(this).delegatecall(data[i]);
            if (!ok) {
                assembly {
                    revert(add(result, 32), mload(result))
                }
            }
            results[i] = result;
        }
    }

    // ---- signatures --------------------------------------------------------------------------------------------------

    /// Vouchers are signed by payerAuthorizer, or by the payer itself when that is zero (EOAs only: no ERC-1271 here).
    function _checkVoucher(bytes32 id, Voucher calldata voucher, bytes calldata signature) private view {
        address expected = voucher.channel.payerAuthorizer != address(0) ? voucher.channel.payerAuthorizer : voucher.channel.payer;
        require(_recover(getVoucherDigest(id, voucher.maxClaimableAmount), signature) == expected, "voucher not signed by the payer");
    }

    function _checkVerdict(bytes32 id, address authorizer, ChargeVerdict memory v, uint8 verdict) private view {
        require(v.amount > 0, "empty charge");
        require(_recover(getChargeVerdictDigest(id, v.cumulative, v.amount, verdict), v.signature) == authorizer, "verdict not signed by the receiverAuthorizer");
    }

    function _typed(bytes32 structHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    function _recover(bytes32 digest, bytes memory signature) private pure returns (address) {
        require(signature.length == 65, "bad signature length");
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(signature, 32))
            s := mload(add(signature, 64))
            v := byte(0, mload(add(signature, 96)))
        }
        if (v < 27) v += 27;
        require(uint256(s) <= 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0, "malleable signature");
        address signer = ecrecover(digest, v, r, s);
        require(signer != address(0), "bad signature");
        return signer;
    }
}
