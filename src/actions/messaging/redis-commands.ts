/**
 * The Redis commands `redis_command` runs: an allow-list of data commands on keys (read, write,
 * expire, publish), not a deny-list, so a command added to Redis later is refused until it is
 * reviewed here. Left out on purpose: administration (CONFIG, FLUSHALL, FLUSHDB, SHUTDOWN, DEBUG,
 * MODULE, ACL, SAVE, BGSAVE, REPLICAOF/SLAVEOF, FAILOVER, CLUSTER, CLIENT, MIGRATE, RESTORE, DUMP,
 * SWAPDB, MOVE, SELECT: the database is the credential's), server-side code (EVAL*, SCRIPT,
 * FUNCTION, FCALL*), whole-keyspace scans that block the server (KEYS, MONITOR, SORT with STORE...),
 * blocking pops and waits that hold the connection (BLPOP, BRPOP, BLMOVE, BZPOPMIN, XREAD BLOCK,
 * WAIT), and connection state (SUBSCRIBE, MULTI, AUTH, HELLO, RESET).
 */
export const REDIS_ALLOWED_COMMANDS: readonly string[] = [
  // connection
  'PING', 'ECHO',
  // keys
  'EXISTS', 'TYPE', 'TTL', 'PTTL', 'EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT', 'PERSIST', 'DEL', 'UNLINK', 'TOUCH', 'RENAME', 'RENAMENX', 'SCAN',
  // strings and counters
  'GET', 'MGET', 'SET', 'SETNX', 'SETEX', 'PSETEX', 'MSET', 'MSETNX', 'GETSET', 'GETDEL', 'GETEX', 'GETRANGE', 'SETRANGE', 'APPEND', 'STRLEN',
  'INCR', 'INCRBY', 'INCRBYFLOAT', 'DECR', 'DECRBY', 'GETBIT', 'SETBIT', 'BITCOUNT',
  // hashes
  'HGET', 'HMGET', 'HSET', 'HSETNX', 'HDEL', 'HGETALL', 'HKEYS', 'HVALS', 'HLEN', 'HEXISTS', 'HINCRBY', 'HINCRBYFLOAT', 'HSCAN',
  // lists
  'LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX', 'LPOP', 'RPOP', 'LRANGE', 'LLEN', 'LINDEX', 'LSET', 'LREM', 'LTRIM', 'LPOS', 'LMOVE',
  // sets
  'SADD', 'SREM', 'SMEMBERS', 'SISMEMBER', 'SMISMEMBER', 'SCARD', 'SPOP', 'SRANDMEMBER', 'SSCAN',
  // sorted sets
  'ZADD', 'ZREM', 'ZSCORE', 'ZMSCORE', 'ZINCRBY', 'ZCARD', 'ZCOUNT', 'ZRANK', 'ZREVRANK', 'ZRANGE', 'ZRANGEBYSCORE', 'ZREVRANGE', 'ZREVRANGEBYSCORE', 'ZPOPMIN', 'ZPOPMAX', 'ZREMRANGEBYSCORE', 'ZSCAN',
  // streams (non-blocking)
  'XADD', 'XLEN', 'XRANGE', 'XREVRANGE', 'XTRIM', 'XDEL', 'XACK',
  // hyperloglog, pub/sub
  'PFADD', 'PFCOUNT', 'PUBLISH',
];

const ALLOWED: ReadonlySet<string> = new Set(REDIS_ALLOWED_COMMANDS);

/** Why a command is refused (a sentence for the step's error), or undefined when it is allowed. */
export function redisCommandRefusal(command: string): string | undefined {
  const name = command.toUpperCase();
  if (ALLOWED.has(name)) return undefined;
  return `${name} is not one of the data commands redis_command runs (administrative, scripting, blocking and keyspace-wide commands are refused; see the action's description for the list)`;
}
