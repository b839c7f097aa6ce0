package io.sparkmdn.io;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under the scheme {@code faulty:}, whose rename of a temporary output ({@code .NAME.tmp-…}) into
 * place fails: a file system that breaks between moving the old output aside and moving the new one in.
 */
public final class FaultyFileSystem extends RawLocalFileSystem {

    static final String SCHEME = "faulty";

    /** The configuration that routes {@code faulty:} paths to this class. */
    static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set("fs." + SCHEME + ".impl", FaultyFileSystem.class.getName());
        conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
        return conf;
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public void initialize(URI uri, Configuration conf) throws IOException {
        super.initialize(uri, conf);
        setConf(conf);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        if (src.getName().contains(".tmp-")) {
            throw new IOException("injected failure renaming " + src + " to " + dst);
        }
        return super.rename(src, dst);
    }
}
