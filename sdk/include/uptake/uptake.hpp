#pragma once
// Everything an app needs: #include <uptake/uptake.hpp>.
#include "uptake/client.hpp"
#include "uptake/config.hpp"
#include "uptake/plugin.hpp"
#include "uptake/props.hpp"
#include "uptake/stats.hpp"
