// A header that breaks the isolation rule on purpose: the check must catch it.
#include <boost/asio/io_context.hpp>
